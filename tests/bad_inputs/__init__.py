"""shared/BAD_INPUTS.md as tests: the corpus generators (corpus.py, cases_*.py) and the tests that grade them."""
