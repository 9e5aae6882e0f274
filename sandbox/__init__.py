"""Dravo's imitation of the five networks, for test-mode accounts, end-to-end tests and
`make run` without the internet. Each module speaks one network's HTTP subset (same
paths, bodies, ids and error bodies) under /sandbox/<network>/, so the real clients talk
to it by changing only their base URLs (providers.registry.endpoints_for)."""
