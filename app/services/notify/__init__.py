"""Customer e-mails through a transactional outbox (issue 18), and staff alerts.

events.py says which timeline entries mail the customer and the shop's switch for each;
outbox.py writes the message, unrendered, in the transaction of the change (called by
sales/orders.record_event); deferred.py renders it when the sender takes it, through
templates.py (resources/templates/email/ and the shop's overrides) in the customer's
language (wording.py); stored.py reads the e-mail settings in one query and keeps them
across transactions; sender.py claims and sends over SMTP (smtp_client.py,
smtp_settings.py, attachments.py);
mailbox.py lists, retries, cancels and resends; alerts.py queues staff alerts;
worker.py is the loop an elected workstation (or `kestrel outbox run`) runs; links.py
holds the tracking page's address once the API provides it.
"""
