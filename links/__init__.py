"""
The health of the addresses the catalogue's records point to: every web address field of the
catalogue's models (a source's page, an instrument's address, a document that is a link, a
body's website), found by addresses.py, so that a new address field is checked without being
named here. A model leaves some of its rows out by defining `unchecked_addresses`, a Q (the
members-only documents, which answer only to members).

The background worker checks each address once every LINK_CHECK_INTERVAL_HOURS (tasks.py,
checker.py) and records its state and the last checks of it (models.py). Staff see the broken
and moved ones in the admin, where they may give an archived copy's address, which the public
pages offer beside a link that is gone (templatetags/links.py).
"""
