"""How mail reaches ``mail_ingest``: an IMAP mailbox polled, or an LMTP/SMTP receiver."""
