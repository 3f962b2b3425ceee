"""Customer e-mails through a transactional outbox (issue 18), and staff alerts.

events.py says which timeline entries mail the customer and the shop's switch for each;
outbox.py writes the message in the transaction of the change (called by
sales/orders.record_event); templates.py renders it (resources/templates/email/ and the
shop's overrides); stored.py reads the e-mail settings once per transaction; sender.py
claims and sends over SMTP (smtp_client.py, smtp_settings.py, attachments.py);
mailbox.py lists, retries, cancels and resends; alerts.py queues staff alerts;
worker.py is the loop an elected workstation (or `kestrel outbox run`) runs; links.py
holds the tracking page's address once the API provides it.
"""
