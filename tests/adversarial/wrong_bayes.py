"""Adversarial wrong solutions for the Bayes exercises (notebooks/13_bayes_theorem.ipynb).

Written from the three exercise statements alone (not the checkers, not the solution cells):

* ``p_disease_given_positive(sensitivity, specificity, prevalence)`` -> P(sick | +)
* ``posterior(prior, likelihoods)`` -> P(H_k | E), float array of length K summing to 1
* ``log_gaussian_nb_predict(X, means, variances, log_priors)`` -> (N, K) log posteriors

Each entry is a plausible learner's mistake or a near-miss; the comment beside it gives an input
allowed by the statement on which it differs from a correct implementation beyond tolerance
(or raises, hangs, or changes the caller's array). Each witness was checked by running it against
a separate correct implementation. Entries labelled "HANGS:" never return on the input named.
"""

import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1: p_disease_given_positive(sensitivity, specificity, prevalence)
# correct: s*p / (s*p + (1 - sp)*(1 - p))
# ---------------------------------------------------------------------------------------------

def pdp_base_rate_fallacy(sensitivity, specificity, prevalence):
    # witness (0.99, 0.95, 0.01): returns 0.99, correct 0.1667
    return float(sensitivity)


def pdp_forgets_prior(sensitivity, specificity, prevalence):
    # normalises the two likelihoods as if sick and healthy were equally likely
    # witness (0.99, 0.95, 0.01): returns 0.952, correct 0.1667
    return sensitivity / (sensitivity + (1 - specificity))


def pdp_forgets_evidence(sensitivity, specificity, prevalence):
    # numerator only: the joint P(+, sick), never divided by P(+)
    # witness (0.99, 0.95, 0.01): returns 0.0099, correct 0.1667
    return sensitivity * prevalence


def pdp_specificity_as_false_positive_rate(sensitivity, specificity, prevalence):
    # uses specificity where P(+ | healthy) = 1 - specificity belongs
    # witness (0.99, 0.95, 0.01): returns 0.0104, correct 0.1667
    num = sensitivity * prevalence
    return num / (num + specificity * (1 - prevalence))


def pdp_swaps_sensitivity_and_specificity(sensitivity, specificity, prevalence):
    # witness (0.9, 0.8, 0.1): returns 0.4706, correct 0.3333
    num = specificity * prevalence
    return num / (num + (1 - sensitivity) * (1 - prevalence))


def pdp_evidence_missing_healthy_prior(sensitivity, specificity, prevalence):
    # P(+) = s*p + (1 - sp)  (forgets to weight the false positives by P(healthy))
    # witness (0.9, 0.8, 0.5): returns 0.6923, correct 0.8182
    num = sensitivity * prevalence
    return num / (num + (1 - specificity))


def pdp_prior_only_in_numerator(sensitivity, specificity, prevalence):
    # numerator weighted by the prior, denominator is the sum of the raw likelihoods
    # witness (0.99, 0.95, 0.01): returns 0.00952, correct 0.1667
    return sensitivity * prevalence / (sensitivity + 1 - specificity)


def pdp_returns_p_healthy_given_positive(sensitivity, specificity, prevalence):
    # answers the complementary question P(healthy | +)
    # witness (0.99, 0.95, 0.01): returns 0.8333, correct 0.1667
    num = (1 - specificity) * (1 - prevalence)
    return num / (num + sensitivity * prevalence)


def pdp_returns_posterior_odds(sensitivity, specificity, prevalence):
    # odds form done right, but returns the posterior odds instead of converting to a probability
    # witness (0.99, 0.95, 0.01): returns 0.2, correct 0.1667
    return (prevalence / (1 - prevalence)) * (sensitivity / (1 - specificity))


def pdp_result_dtype_of_sensitivity(sensitivity, specificity, prevalence):
    # stores the result in an array shaped/typed like the input: an int input (sensitivity=1)
    # makes the result an integer and truncates it
    # witness (1, 0.9, 0.1): returns 0, correct 0.5263
    out = np.zeros_like(np.asarray(sensitivity))
    num = sensitivity * prevalence
    out[()] = num / (num + (1 - specificity) * (1 - prevalence))
    return out.item()


def pdp_rejects_int_inputs(sensitivity, specificity, prevalence):
    # over-strict validation: Python ints such as 1 are allowed by the statement but refused here
    # witness (1, 0.9, 0.1): raises TypeError, correct 0.5263
    for v in (sensitivity, specificity, prevalence):
        if not isinstance(v, float):
            raise TypeError("probabilities must be floats")
    num = sensitivity * prevalence
    return num / (num + (1 - specificity) * (1 - prevalence))


def pdp_perfect_sensitivity_means_sick(sensitivity, specificity, prevalence):
    # "a test that never misses: a positive must mean sick" -- confuses sensitivity with PPV
    # witness (1, 0.9, 0.1): returns 1.0, correct 0.5263
    if sensitivity == 1:
        return 1.0
    num = sensitivity * prevalence
    return num / (num + (1 - specificity) * (1 - prevalence))


def pdp_rounded(sensitivity, specificity, prevalence):
    # rounds "for presentation" to 2 decimals
    # witness (0.99, 0.95, 0.01): returns 0.17, correct 0.166667 (diff 3.3e-3)
    num = sensitivity * prevalence
    return round(num / (num + (1 - specificity) * (1 - prevalence)), 2)


def pdp_one_element_array(sensitivity, specificity, prevalence):
    # returns a length-1 array instead of one number
    # witness (0.99, 0.95, 0.01): returns array([0.1667]) of shape (1,), not a scalar
    num = sensitivity * prevalence
    return np.array([num / (num + (1 - specificity) * (1 - prevalence))])


def pdp_odds_form_divides_by_false_positive_rate(sensitivity, specificity, prevalence):
    # odds form: prior odds times the likelihood ratio sens / (1 - spec), then back to a
    # probability; crashes on a perfectly specific test (specificity = 1, answer 1)
    # witness (0.9, 1, 0.1): raises ZeroDivisionError, correct 1.0
    odds = (prevalence / (1 - prevalence)) * (sensitivity / (1 - specificity))
    return odds / (1 + odds)


def pdp_uses_two_decimal_population(sensitivity, specificity, prevalence):
    # counts a population of 100 people with rounded head-counts: right only when every
    # probability is a whole percentage
    # witness (0.99, 0.95, 0.001): returns 0.0 (round(0.1)=0 sick), correct 0.01943
    n = 100
    sick = round(n * prevalence)
    tp = round(sick * sensitivity)
    fp = round((n - sick) * (1 - specificity))
    return tp / (tp + fp) if tp + fp else 0.0


def pdp_hangs_growing_population(sensitivity, specificity, prevalence):
    # "grow the population 100 at a time until it holds at least one true positive";
    # the exact formula otherwise (n cancels), but never ends when sensitivity*prevalence == 0
    # witness (0.9, 0.8, 0) (P(+) = 0.2 > 0): loops forever, correct 0.0
    n = 0
    while n * sensitivity * prevalence < 1:
        n += 100
    tp = n * sensitivity * prevalence
    fp = n * (1 - specificity) * (1 - prevalence)
    return tp / (tp + fp)


# ---------------------------------------------------------------------------------------------
# Exercise 2: posterior(prior, likelihoods)
# correct: u = prior * likelihoods; u / u.sum()
# ---------------------------------------------------------------------------------------------

def post_forgets_evidence(prior, likelihoods):
    # witness prior [0.5, 0.5], lik [0.2, 0.6]: returns [0.1, 0.3], correct [0.25, 0.75]
    return np.asarray(prior, float) * likelihoods


def post_forgets_prior(prior, likelihoods):
    # witness prior [0.9, 0.1], lik [0.2, 0.6]: returns [0.25, 0.75], correct [0.75, 0.25]
    lik = np.asarray(likelihoods, float)
    return lik / lik.sum()


def post_base_rate_fallacy(prior, likelihoods):
    # returns P(E | H_k) for P(H_k | E)
    # witness prior [0.9, 0.1], lik [0.2, 0.6]: returns [0.2, 0.6], correct [0.75, 0.25]
    return np.asarray(likelihoods, float).copy()


def post_ignores_evidence(prior, likelihoods):
    # returns the prior unchanged
    # witness prior [0.5, 0.5], lik [0.2, 0.6]: returns [0.5, 0.5], correct [0.25, 0.75]
    return np.array(prior, float)


def post_inplace_prior(prior, likelihoods):
    # right numbers, but multiplies and normalises the caller's prior in place
    # witness prior [0.5, 0.5] (float), lik [0.2, 0.6]: caller's prior becomes [0.25, 0.75]
    prior *= likelihoods
    prior /= prior.sum()
    return prior


def post_inplace_likelihoods(prior, likelihoods):
    # right numbers for float likelihoods, but overwrites the caller's likelihoods
    # (and raises a casting error for integer likelihoods)
    # witness prior [0.5, 0.5], lik [0.2, 0.6] (float): caller's lik becomes [0.25, 0.75];
    # prior [0.5, 0.5], lik int [1, 0]: raises UFuncTypeError
    likelihoods *= prior
    likelihoods /= likelihoods.sum()
    return likelihoods


def post_int_truncation(prior, likelihoods):
    # preallocates the result like the likelihoods: integer likelihoods truncate the posteriors
    # witness prior [0.5, 0.25, 0.25], lik int [1, 0, 1]: returns [0, 0, 0],
    # correct [0.6667, 0, 0.3333]
    out = np.empty_like(likelihoods)
    joint = prior * likelihoods
    out[:] = joint / joint.sum()
    return out


def post_divides_by_likelihood_sum(prior, likelihoods):
    # wrong evidence: sum of the likelihoods instead of sum_k P(H_k) P(E | H_k)
    # witness prior [0.5, 0.5], lik [0.2, 0.6]: returns [0.125, 0.375], correct [0.25, 0.75]
    lik = np.asarray(likelihoods, float)
    return prior * lik / lik.sum()


def post_evidence_as_mean_likelihood(prior, likelihoods):
    # P(E) taken as the unweighted mean of the likelihoods (a uniform prior in the denominator)
    # witness prior [0.9, 0.1], lik [0.2, 0.6]: returns [0.45, 0.15], correct [0.75, 0.25]
    lik = np.asarray(likelihoods, float)
    return prior * lik / lik.mean()


def post_divides_by_max(prior, likelihoods):
    # normalises by the largest joint (so the MAP hypothesis gets 1) instead of by the total
    # witness prior [0.5, 0.5], lik [0.2, 0.6]: returns [0.3333, 1.0], correct [0.25, 0.75]
    joint = prior * np.asarray(likelihoods, float)
    return joint / joint.max()


def post_binary_only(prior, likelihoods):
    # two-hypothesis formula with P(H_1) = 1 - prior[0]: right for K = 2 only
    # witness prior [0.2, 0.3, 0.5], lik [0.5, 0.1, 0.9]: returns [0.5556, 0.4444, 0],
    # correct [0.1724, 0.0517, 0.7759]
    p0, l0, l1 = float(prior[0]), float(likelihoods[0]), float(likelihoods[1])
    a = p0 * l0 / (p0 * l0 + (1 - p0) * l1)
    out = np.zeros(len(prior))
    out[0], out[1] = a, 1 - a
    return out


def post_column_vector(prior, likelihoods):
    # returns shape (K, 1) instead of (K,)
    # witness prior [0.5, 0.5], lik [0.2, 0.6]: returns [[0.25], [0.75]] of shape (2, 1)
    joint = (np.asarray(prior, float) * likelihoods).reshape(-1, 1)
    return joint / joint.sum()


def post_outer_product(prior, likelihoods):
    # broadcasting slip: prior as a column times likelihoods as a row -> (K, K), normalised,
    # then summed along the wrong axis
    # witness prior [0.9, 0.1], lik [0.2, 0.6]: returns [0.25, 0.75], correct [0.75, 0.25]
    joint = np.asarray(prior, float)[:, None] * np.asarray(likelihoods, float)[None, :]
    return (joint / joint.sum()).sum(axis=0)


def post_log_with_epsilon(prior, likelihoods):
    # log space with log(lik + 1e-12) "to avoid log(0)": impossible hypotheses get mass
    # witness prior [0.5, 0.5], lik [0, 1e-10]: returns [0.0099, 0.9901], correct [0, 1]
    a = np.log(np.asarray(prior, float)) + np.log(np.asarray(likelihoods, float) + 1e-12)
    a -= a.max()
    e = np.exp(a)
    return e / e.sum()


def post_given_not_evidence(prior, likelihoods):
    # uses P(not E | H_k) = 1 - likelihood
    # witness prior [0.5, 0.5], lik [0.2, 0.6]: returns [0.6667, 0.3333], correct [0.25, 0.75]
    joint = prior * (1 - np.asarray(likelihoods, float))
    return joint / joint.sum()


def post_rounded(prior, likelihoods):
    # rounds to 3 decimals "for display"
    # witness prior [0.5, 0.5], lik [0.1, 0.2]: returns [0.333, 0.667], correct [1/3, 2/3]
    joint = prior * np.asarray(likelihoods, float)
    return np.round(joint / joint.sum(), 3)


def post_float16(prior, likelihoods):
    # computes in float16 "to save memory": about 3 significant digits
    # witness prior [0.5, 0.5], lik [0.1, 0.2]: returns [0.3335, 0.6670] (err 3.3e-4)
    joint = np.asarray(prior, np.float16) * np.asarray(likelihoods, np.float16)
    return (joint / joint.sum()).astype(float)


def post_hangs_skipping_zero_likelihood(prior, likelihoods):
    # loop that skips impossible hypotheses with `continue` but forgets to advance k first
    # witness prior [0.5, 0.5], lik [0, 1] (a zero likelihood, P(E) = 0.5 > 0): loops forever
    K = len(prior)
    out = np.zeros(K)
    k = 0
    while k < K:
        if likelihoods[k] == 0:
            continue
        out[k] = prior[k] * likelihoods[k]
        k += 1
    return out / out.sum()


# ---------------------------------------------------------------------------------------------
# Exercise 3: log_gaussian_nb_predict(X, means, variances, log_priors)
# correct: a[n,c] = lp[c] + sum_j(-0.5 log(2 pi var[c,j]) - (x[n,j]-mu[c,j])^2 / (2 var[c,j]));
#          L = a - logsumexp(a, axis=1)
# Witness inputs below:
#   W_FAR   : X=[[0.]], means=[[0.],[60.]], variances=[[1.],[1.]], log_priors=log([.5,.5])
#             (a = [-0.92, -1800.9]; correct L = [0, -1800])
#   W_UNDER : X=[[40.]], means=[[0.],[1.]], variances=[[1.],[1.]], log_priors=log([.5,.5])
#             (both densities underflow to 0.0; correct L = [-39.5, 0])
#   W_VAR   : X=[[0.]], means=[[0.],[0.]], variances=[[1.],[4.]], log_priors=log([.5,.5])
#             (correct L = [-0.405, -1.099])
# ---------------------------------------------------------------------------------------------

def _joint(X, means, variances, log_priors):
    X = np.asarray(X, float)
    diff = X[:, None, :] - means[None, :, :]
    return log_priors[None, :] + np.sum(
        -0.5 * np.log(2 * np.pi * variances)[None] - diff ** 2 / (2 * variances[None]), axis=2)


def _lse_rows(a):
    m = a.max(axis=1, keepdims=True)
    return m + np.log(np.exp(a - m).sum(axis=1, keepdims=True))


def nb_linear_space(X, means, variances, log_priors):
    # multiplies the raw densities and the prior, normalises, and only then takes the log:
    # the product underflows to 0.0 for every class -> log(0/0) = nan
    # witness W_UNDER: returns [nan, nan], correct [-39.5, 0]
    X = np.asarray(X, float)
    dens = np.exp(-(X[:, None, :] - means[None]) ** 2 / (2 * variances[None])) \
        / np.sqrt(2 * np.pi * variances[None])
    joint = np.exp(log_priors)[None, :] * np.prod(dens, axis=2)
    return np.log(joint / joint.sum(axis=1, keepdims=True))


def nb_lse_without_max_shift(X, means, variances, log_priors):
    # log-sum-exp without the max shift: exp(a) underflows to 0 -> log(0) = -inf -> L = +inf
    # witness W_UNDER: returns [inf, inf], correct [-39.5, 0]
    a = _joint(X, means, variances, log_priors)
    return a - np.log(np.exp(a).sum(axis=1, keepdims=True))


def nb_drops_log_variance(X, means, variances, log_priors):
    # drops the -1/2 log(2 pi var) term: right only when every class has the same variances
    # witness W_VAR: returns [log .5, log .5] = [-0.693, -0.693], correct [-0.405, -1.099]
    X = np.asarray(X, float)
    a = log_priors[None, :] - np.sum(
        (X[:, None, :] - means[None]) ** 2 / (2 * variances[None]), axis=2)
    return a - _lse_rows(a)


def nb_log_variance_without_half(X, means, variances, log_priors):
    # -log(2 pi var) instead of -1/2 log(2 pi var)
    # witness W_VAR: returns [-0.223, -1.609], correct [-0.405, -1.099]
    X = np.asarray(X, float)
    a = log_priors[None, :] + np.sum(
        -np.log(2 * np.pi * variances)[None]
        - (X[:, None, :] - means[None]) ** 2 / (2 * variances[None]), axis=2)
    return a - _lse_rows(a)


def nb_variances_treated_as_std(X, means, variances, log_priors):
    # reads `variances` as standard deviations and squares them again
    # witness X=[[1.]], means=[[0.],[0.]], variances=[[1.],[4.]], lp=log([.5,.5]):
    # returns [-0.336, -1.254], correct [-0.547, -0.865]
    X = np.asarray(X, float)
    v = variances ** 2
    a = log_priors[None, :] + np.sum(
        -0.5 * np.log(2 * np.pi * v)[None]
        - (X[:, None, :] - means[None]) ** 2 / (2 * v[None]), axis=2)
    return a - _lse_rows(a)


def nb_no_half_in_exponent(X, means, variances, log_priors):
    # (x - mu)^2 / var instead of (x - mu)^2 / (2 var)
    # witness X=[[0.]], means=[[0.],[2.]], variances=[[1.],[1.]], lp=log([.8,.2]):
    # returns [-0.0046, -5.391], correct [-0.0333, -3.420]
    X = np.asarray(X, float)
    a = log_priors[None, :] + np.sum(
        -0.5 * np.log(2 * np.pi * variances)[None]
        - (X[:, None, :] - means[None]) ** 2 / variances[None], axis=2)
    return a - _lse_rows(a)


def nb_forgets_prior(X, means, variances, log_priors):
    # leaves log_priors out of a
    # witness X=[[1.]], means=[[0.],[2.]], variances=[[1.],[1.]], lp=log([.8,.2]):
    # returns [log .5, log .5], correct [-0.223, -1.609]
    X = np.asarray(X, float)
    a = np.sum(-0.5 * np.log(2 * np.pi * variances)[None]
               - (X[:, None, :] - means[None]) ** 2 / (2 * variances[None]), axis=2)
    return a - _lse_rows(a)


def nb_forgets_evidence(X, means, variances, log_priors):
    # returns the log joint a (unnormalised)
    # witness W_VAR: returns [-1.612, -2.305], correct [-0.405, -1.099]
    return _joint(X, means, variances, log_priors)


def nb_normalises_over_samples(X, means, variances, log_priors):
    # logsumexp over axis 0 (the samples) instead of axis 1 (the classes)
    # witness X=[[0.],[1.]], means=[[0.],[2.]], variances=[[1.],[1.]], lp=log([.5,.5]):
    # returns columns summing to 1, correct rows summing to 1 (L[0] = [-0.127, -2.127])
    a = _joint(X, means, variances, log_priors)
    m = a.max(axis=0, keepdims=True)
    return a - (m + np.log(np.exp(a - m).sum(axis=0, keepdims=True)))


def nb_max_along_wrong_axis(X, means, variances, log_priors):
    # log-sum-exp shifted by the per-class (column) max instead of the per-sample (row) max:
    # the shift is not constant over the summed index, so it does not cancel
    # witness X=[[0.],[1.]], means=[[0.],[2.]], variances=[[1.],[1.]], lp=log([.5,.5]):
    # returns L[0] = [-0.201, -1.701], correct [-0.127, -2.127]
    a = _joint(X, means, variances, log_priors)
    m = a.max(axis=0, keepdims=True)                    # (1, K)
    lse = np.log(np.exp(a - m).sum(axis=1, keepdims=True))
    return a - m - lse


def nb_global_max_shift(X, means, variances, log_priors):
    # shifts by the max of the whole array: rows far below it still underflow -> +inf / nan
    # witness X=[[0.],[40.]], means=[[0.],[1.]], variances=[[1.],[1.]], lp=log([.5,.5]):
    # row 1 returns [inf, inf], correct [-39.5, 0]
    a = _joint(X, means, variances, log_priors)
    m = a.max()
    return a - (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))


def nb_floors_densities(X, means, variances, log_priors):
    # takes log(max(density, 1e-300)) per feature "to avoid log(0)": finite, but every
    # underflowed density is floored to the same value, erasing the difference between classes
    # witness W_UNDER: returns [log .5, log .5], correct [-39.5, 0]
    X = np.asarray(X, float)
    dens = np.exp(-(X[:, None, :] - means[None]) ** 2 / (2 * variances[None])) \
        / np.sqrt(2 * np.pi * variances[None])
    a = log_priors[None, :] + np.sum(np.log(np.maximum(dens, 1e-300)), axis=2)
    return a - _lse_rows(a)


def nb_returns_labels(X, means, variances, log_priors):
    # misled by the name "predict": returns the (N,) argmax labels, not the (N, K) log posteriors
    # witness W_VAR: returns [0] of shape (1,), correct [[-0.405, -1.099]]
    return np.argmax(_joint(X, means, variances, log_priors), axis=1)


def nb_returns_probabilities(X, means, variances, log_priors):
    # exponentiates at the end: posteriors instead of log posteriors
    # witness W_VAR: returns [0.667, 0.333], correct [-0.405, -1.099]
    a = _joint(X, means, variances, log_priors)
    return np.exp(a - _lse_rows(a))


def nb_logs_the_log_priors(X, means, variances, log_priors):
    # takes log() of log_priors as if they were priors -> log of negative numbers = nan
    # witness W_VAR: returns [nan, nan], correct [-0.405, -1.099]
    a = _joint(X, means, variances, np.log(log_priors))
    return a - _lse_rows(a)


def nb_mean_over_features(X, means, variances, log_priors):
    # averages the per-feature log densities instead of summing them
    # witness X=[[0., 0.]], means=[[0., 0.],[2., 2.]], variances=ones, lp=log([.8,.2]):
    # returns [-0.0333, -3.420], correct [-0.0046, -5.391]
    X = np.asarray(X, float)
    a = log_priors[None, :] + np.mean(
        -0.5 * np.log(2 * np.pi * variances)[None]
        - (X[:, None, :] - means[None]) ** 2 / (2 * variances[None]), axis=2)
    return a - _lse_rows(a)


def nb_class0_variances(X, means, variances, log_priors):
    # broadcasts variances[0] to every class: right only when all classes share variances
    # witness W_VAR: returns [log .5, log .5], correct [-0.405, -1.099]
    a = _joint(X, means, np.broadcast_to(variances[0], variances.shape), log_priors)
    return a - _lse_rows(a)


def nb_smooths_variances_again(X, means, variances, log_priors):
    # adds scikit-learn's var_smoothing (1e-9 * the largest variance) although the statement
    # says the variances are already smoothed: wrong when some variances are tiny
    # witness X=[[1e-4]], means=[[0.],[0.]], variances=[[1e-9],[1.]], lp=log([.5,.5]):
    # returns [-0.00055, -7.516], correct [-0.00468, -5.366]
    v = variances + 1e-9 * variances.max()
    a = _joint(X, means, v, log_priors)
    return a - _lse_rows(a)


def nb_square_in_input_dtype(X, means, variances, log_priors):
    # expands (x - mu)^2 = x^2 - 2 x mu + mu^2 and computes x^2 in X's own dtype:
    # uint8 pixels (0..16 on the digits) overflow, 16**2 = 256 -> 0
    # witness X=uint8 [[16]], means=[[16.],[0.]], variances=[[1.],[4.]], lp=log([.5,.5]):
    # returns [0, -128.7], correct [0, -32.7]
    X = np.asarray(X)
    x2 = (X * X)[:, None, :]                            # stays in X's dtype
    sq = x2 - 2 * X[:, None, :] * means[None] + means[None] ** 2
    a = log_priors[None, :] + np.sum(
        -0.5 * np.log(2 * np.pi * variances)[None] - sq / (2 * variances[None]), axis=2)
    return a - _lse_rows(a)


def nb_expanded_square_cancellation(X, means, variances, log_priors):
    # expands (x - mu)^2 = x^2 - 2 x mu + mu^2 in float64: catastrophic cancellation for
    # large x close to mu
    # witness X=[[1e8+0.3]], means=[[1e8],[1e8+1.]], variances=[[1.],[1.]], lp=log([.5,.5]):
    # returns [-0.693, -0.693], correct [-0.598, -0.798]
    X = np.asarray(X, float)
    sq = X[:, None, :] ** 2 - 2 * X[:, None, :] * means[None] + means[None] ** 2
    a = log_priors[None, :] + np.sum(
        -0.5 * np.log(2 * np.pi * variances)[None] - sq / (2 * variances[None]), axis=2)
    return a - _lse_rows(a)


def nb_result_in_input_dtype(X, means, variances, log_priors):
    # preallocates L with X's dtype: integer X truncates the log posteriors
    # witness X=int [[0]], means=[[0.],[0.]], variances=[[1.],[4.]], lp=log([.5,.5]):
    # returns [0, 0], correct [-0.405, -1.099]
    a = _joint(X, means, variances, log_priors)
    L = np.zeros(a.shape, dtype=np.asarray(X).dtype)
    L[...] = a - _lse_rows(a)
    return L


def nb_centres_X_in_place(X, means, variances, log_priors):
    # reuses X as a buffer: subtracts each class mean in place and adds it back, which
    # changes the caller's X through rounding (and raises a casting error for integer X)
    # witness X=[[0.1]], means=[[1e17],[0.]], variances=[[1.],[1.]], lp=log([.5,.5]):
    # caller's X becomes [[0.]] (0.1 - 1e17 + 1e17 == 0.0); integer X raises a casting error
    N, K = X.shape[0], means.shape[0]
    a = np.empty((N, K))
    for c in range(K):
        X -= means[c]
        a[:, c] = log_priors[c] + np.sum(
            -0.5 * np.log(2 * np.pi * variances[c]) - X ** 2 / (2 * variances[c]), axis=1)
        X += means[c]
    return a - _lse_rows(a)


def nb_hangs_shift_search(X, means, variances, log_priors):
    # searches per row for a shift with no exp() underflow AND no overflow; when a row's log
    # joints span more than ~1450 no such shift exists and the search oscillates forever
    # witness W_FAR (a spans 1800): loops forever, correct [0, -1800]
    a = _joint(X, means, variances, log_priors)
    shift = np.zeros((a.shape[0], 1))
    while True:
        e = np.exp(a - shift)
        big = np.isinf(e).any(axis=1, keepdims=True)
        zero = (e == 0).any(axis=1, keepdims=True)
        if not (big | zero).any():
            break
        shift = shift + 100.0 * big - 100.0 * (zero & ~big)
    return a - (shift + np.log(e.sum(axis=1, keepdims=True)))


WRONG = {
    "check_p_disease_given_positive": [
        ("base-rate fallacy: returns the sensitivity", pdp_base_rate_fallacy),
        ("forgets the prior (likelihoods normalised as if 50/50)", pdp_forgets_prior),
        ("forgets the evidence: returns P(+, sick)", pdp_forgets_evidence),
        ("specificity used as the false-positive rate", pdp_specificity_as_false_positive_rate),
        ("sensitivity and specificity swapped", pdp_swaps_sensitivity_and_specificity),
        ("evidence misses the P(healthy) weight on false positives",
         pdp_evidence_missing_healthy_prior),
        ("prior in numerator only, raw likelihoods in denominator", pdp_prior_only_in_numerator),
        ("returns P(healthy | +)", pdp_returns_p_healthy_given_positive),
        ("returns posterior odds, not probability", pdp_returns_posterior_odds),
        ("int sensitivity=1 truncates the result (dtype of input)",
         pdp_result_dtype_of_sensitivity),
        ("rejects Python int inputs", pdp_rejects_int_inputs),
        ("special case: sensitivity 1 means a positive is certainly sick",
         pdp_perfect_sensitivity_means_sick),
        ("rounds to 2 decimals", pdp_rounded),
        ("returns a length-1 array, not a number", pdp_one_element_array),
        ("odds form: divides by 1 - specificity (crashes at specificity 1)",
         pdp_odds_form_divides_by_false_positive_rate),
        ("counts a rounded population of 100", pdp_uses_two_decimal_population),
        ("HANGS: grows population until a true positive; prevalence 0 never ends",
         pdp_hangs_growing_population),
    ],
    "check_posterior": [
        ("forgets the evidence (unnormalised)", post_forgets_evidence),
        ("forgets the prior", post_forgets_prior),
        ("base-rate fallacy: returns the likelihoods", post_base_rate_fallacy),
        ("ignores the evidence: returns the prior", post_ignores_evidence),
        ("modifies the caller's prior in place", post_inplace_prior),
        ("modifies the caller's likelihoods in place", post_inplace_likelihoods),
        ("int likelihoods truncate the result (empty_like)", post_int_truncation),
        ("divides by the sum of the likelihoods", post_divides_by_likelihood_sum),
        ("evidence = unweighted mean of likelihoods", post_evidence_as_mean_likelihood),
        ("normalises by the max, not the sum", post_divides_by_max),
        ("two-hypothesis formula: right for K=2 only", post_binary_only),
        ("returns shape (K, 1)", post_column_vector),
        ("outer product summed along the wrong axis", post_outer_product),
        ("log(lik + 1e-12): impossible hypotheses get mass", post_log_with_epsilon),
        ("uses 1 - likelihood (P(H | not E))", post_given_not_evidence),
        ("rounds to 3 decimals", post_rounded),
        ("computes in float16", post_float16),
        ("HANGS: skips zero likelihoods with continue, never advances",
         post_hangs_skipping_zero_likelihood),
    ],
    "check_log_gaussian_nb_predict": [
        ("linear space: product of densities underflows -> nan", nb_linear_space),
        ("log-sum-exp without the max shift", nb_lse_without_max_shift),
        ("drops the -1/2 log(2 pi var) term", nb_drops_log_variance),
        ("-log(2 pi var) without the 1/2", nb_log_variance_without_half),
        ("variances read as standard deviations", nb_variances_treated_as_std),
        ("no 2 in (x-mu)^2 / (2 var)", nb_no_half_in_exponent),
        ("forgets the log prior", nb_forgets_prior),
        ("forgets the evidence: returns log joint", nb_forgets_evidence),
        ("normalises over samples (axis 0), not classes", nb_normalises_over_samples),
        ("log-sum-exp shift by column max (wrong axis)", nb_max_along_wrong_axis),
        ("log-sum-exp shift by the global max: far rows underflow", nb_global_max_shift),
        ("floors each density at 1e-300 before the log", nb_floors_densities),
        ("returns argmax labels, shape (N,)", nb_returns_labels),
        ("returns probabilities, not log probabilities", nb_returns_probabilities),
        ("takes log of log_priors", nb_logs_the_log_priors),
        ("averages over features instead of summing", nb_mean_over_features),
        ("uses class 0's variances for every class", nb_class0_variances),
        ("adds var_smoothing to already-smoothed variances", nb_smooths_variances_again),
        ("x**2 in X's integer dtype (uint8 overflow)", nb_square_in_input_dtype),
        ("expanded square: cancellation for large x", nb_expanded_square_cancellation),
        ("result preallocated with X's int dtype", nb_result_in_input_dtype),
        ("centres X in place (mutates caller's X)", nb_centres_X_in_place),
        ("HANGS: searches a shift with no under/overflow; wide rows oscillate",
         nb_hangs_shift_search),
    ],
}
