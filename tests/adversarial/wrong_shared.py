"""Wrong solutions for the shared checkers live with the notebooks that call them:
``check_softmax`` (notebook 23) in ``wrong_neurons_activations.py`` and ``check_conv_output_size``
(notebook 24) in ``wrong_convolution.py``, each written from that notebook's exercise text.
This module, named after ``dlmath/exercises/shared.py``, adds none of its own.
"""

WRONG = {}
