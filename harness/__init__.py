"""The conformance harness: a pytest plugin that plays the ATS against any deployment of the API."""

if __name__ != "nyc_hiring.harness":  # a second copy under the folder's name would split module state
    raise ImportError(f"import this package as nyc_hiring.harness, not {__name__!r}")
