"""Customer e-mails through a transactional outbox (issue 18).

events.py says which timeline entries mail the customer and the shop's switch for each;
outbox.py writes the message in the transaction of the change; templates.py renders it;
sender.py claims and sends over SMTP (smtp_settings.py); mailbox.py lists, retries,
cancels and resends; worker.py is the loop an elected workstation runs.
"""
