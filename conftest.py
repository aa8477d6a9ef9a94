"""The pytest settings run the suite on every core (``--numprocesses=auto``; pytest-xdist is
in the ``test`` extra). Where pytest-xdist is missing or turned off (``-p no:xdist``), the
same command runs the suite in one process instead of stopping at an unknown option."""


def pytest_addoption(parser, pluginmanager):
    if not pluginmanager.has_plugin("xdist"):
        parser.addoption("--numprocesses", default=None, help="pytest-xdist is not installed: ignored")
