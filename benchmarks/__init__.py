"""Speed measurements (`make bench`). Each ``bench_*.py`` module has a ``main()`` that prints a
table of ratios against a baseline measured in the same process (NumPy, and PyTorch CPU when it
is installed: ``pip install torch==2.13.0``). Nothing here is asserted: the machine is shared and
noisy, so read ratios, not absolute times."""
