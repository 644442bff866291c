"""Wrong solutions for the shared checkers (check_softmax, check_conv_output_size).

No notebook calls these checkers (``grep -o "check_[a-z_]*" notebooks/*.ipynb`` finds neither), so
there is no exercise text to write wrong solutions from: the adversary's rule is to work from the
exercise statement alone, and guessing the signature would only produce wrong solutions that are
rejected for calling the wrong way, which proves nothing. Fill this in once a notebook states the
task (function name, arguments, axis conventions).
"""

WRONG = {}
