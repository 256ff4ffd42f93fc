"""Records kept for staff, through SQLAlchemy: SQLite by default, PostgreSQL in production.

Message text is never stored here: the transcript stays in Rasa's tracker
store (read by rasa_ext/transcripts.py), and staff open it from the
conversation id. The schema is owned by the Alembic migrations in migrations/.

  models.py     the tables (one metadata, for Alembic) and the values their columns allow
  engine.py     the database URL (ASSISTANT_DATABASE_URL), migrations on first open, sessions
  callbacks.py  call-back requests: references, storing a submission, the queue, status changes
  crises.py     crisis events: recording one with its staff alert, the review list, marking reviewed
  outbox.py     staff notifications (requests and crisis alerts): queuing, due, claiming, attempts
  audit.py      the access log: who saw or changed which request or conversation
  sms_state.py  the SMS channel: opt-outs, options offered, retried webhooks answered once
"""
