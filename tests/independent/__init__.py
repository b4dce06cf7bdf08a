"""A second deployment of the NYC hiring-compliance API, built from the contract alone.

It makes other choices than the reference server wherever the contract leaves one
open (ID formats, problem codes, employer profile, message wording, extra fields),
so the conformance harness can be shown to judge a deployment by the contract only.
Standard library only; run it with ``python -m tests.independent``.
"""
