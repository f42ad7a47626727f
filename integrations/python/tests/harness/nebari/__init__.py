"""A stand-in for the `nebari` package (not installable here: it needs pydantic 2 and PyPI), reproducing the contract
its stage plugins rely on, as read in nebari-dev/nebari `src/nebari/hookspecs.py`, `src/nebari/plugins.py` and
`src/_nebari/deploy.py` / `destroy.py`."""
