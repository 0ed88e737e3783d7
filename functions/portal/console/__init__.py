"""The municipality's console: the region's operator runs the index from the browser.

Organisations and their professionals, rights requests and dossiers, the audit trail, and what
did not reach its destination. Every page is for the operator alone (gate.py) and calls the same
use cases as the operator's API routes; the console adds forms and Dutch words, never a rule.
"""

PREFIX = "/portaal/beheer"
