"""`intake`: the staff command for call-back requests and crisis review.

  intake callbacks [--status S] [--json | --csv]   the queue: most urgent first, then oldest first
  intake show REF                                  one request, its history and the conversation transcript
  intake set-status REF STATUS [--by NAME]         new | contacted | scheduled | closed | no_answer
  intake notifications [--undelivered]             the staff-notification outbox: requests and crisis alerts
  intake deliver                                   send due notifications now
  intake crises [--unreviewed] [--json]            crisis paths taken, newest first, with the request of the conversation
  intake transcript CONVERSATION_ID                any conversation's transcript (a crisis without a request)
  intake review-crisis ID [--by NAME]              mark a crisis event reviewed; a second review keeps the first
  intake users add NAME --role ROLE [--password-stdin]   a staff account: coordinator | clinician | admin
  intake users list | disable NAME | reset-password NAME [--password-stdin]
  intake audit verify                              check the access log's hash chain: exit 1 when rows were changed or deleted
  intake audit list [--limit N]                    the access log's newest rows
  intake flagged [--export nlu]                    replies staff flagged; nlu: the messages before them as Rasa NLU YAML,
                                                   names, phone numbers and emails removed

Records: ASSISTANT_DATABASE_URL (default SQLite var/assistant.db). Transcripts:
TRACKER_DATABASE_URL, Rasa's SQL tracker store (default SQLite var/tracker.db;
in production the PostgreSQL URL of endpoints.production.yml's database).
Every command records who ran it and which requests and conversations it
showed, in the access log, committed before anything is printed.

Who: by default the OS user it runs as, with full access (whoever can run it
on the server owns the data). With $INTAKE_TOKEN set to a personal token made
in the staff console, it acts as that staff account instead: the access log
names the account (address "local", detail "token"), and its role must have
the command's permission (assistant/intake/staff_access.py, assistant/staff_roles.py);
a refused command is logged as "forbidden". A token that is unknown, revoked,
or whose account is disabled stops the command: no falling back to the OS user.
A name given with --staff, $INTAKE_STAFF or --by is kept only "on behalf of",
next to who ran it: nothing verifies it.
Exit codes: 0 ok, 1 not found / bad status / not allowed / chain broken / cannot do it / output closed early, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from assistant.center import CenterConfigError, current_center
from assistant.db import audit, callbacks, crises, outbox
from assistant.db.audit import Seen
from assistant.db.models import STATUSES, CallbackRequest, CrisisEvent, ScreeningScore
from assistant.intake import audit_cli, flagged_cli, notify, staff_access, users
from assistant.intake.queue_csv import as_dict, write_csv
from assistant.safe_logging import escape_controls
from assistant.staff_roles import allowed, roles_with
from rasa_ext.transcripts import READ_ERRORS, Turn, read_transcript


class Failure(Exception):
    """Reported on stderr with exit code 1."""


def os_user() -> str:
    """The user this process really runs as (its effective uid), never a name from the environment."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # no passwd entry, e.g. in some containers
        return f"uid {uid}"


@dataclass(frozen=True)
class Staff:
    """Who runs the command: the OS user or a staff account ($INTAKE_TOKEN), and the name they gave (unverified)."""

    user: str
    on_behalf_of: str | None = None
    role: str | None = None  # the staff account's role; None: the OS user, who may do everything
    by_token: bool = False

    def naming(self, name: str | None) -> Staff:
        """The same user, on behalf of `name` (e.g. --by) instead."""
        return replace(self, on_behalf_of=_given(name, self.user)) if name else self

    def log(self, action: str, seen: Iterable[Seen] = (Seen(),), detail: str | None = None) -> None:
        """The access-log rows of a command, committed before it prints anything of what it saw."""
        detail = ", ".join(part for part in ("token" if self.by_token else None, detail) if part) or None
        audit.record(self.user, action, seen, address="local", detail=detail, on_behalf_of=self.on_behalf_of)

    def __str__(self) -> str:
        return describe(self.user, self.on_behalf_of)


def _given(name: str | None, user: str) -> str | None:
    name = (name or "").strip()[:255]  # the column's length
    return name if name and name != user else None


def describe(user: str, on_behalf_of: str | None) -> str:
    return f"{user} (on behalf of {on_behalf_of})" if on_behalf_of else user


def current_staff(given: str | None = None) -> Staff:
    """The staff account of $INTAKE_TOKEN when it is set (raises Failure when it is not valid), else the OS user."""
    given = given or os.environ.get("INTAKE_STAFF")
    token = os.environ.get(staff_access.TOKEN_VARIABLE)
    if token is None:
        user = os_user()
        return Staff(user, _given(given, user))
    try:
        account = staff_access.token_account(token)
    except staff_access.InvalidToken as exc:
        Staff(os_user()).log("forbidden", detail="invalid token")
        raise Failure(str(exc)) from None
    return Staff(account.username, _given(given, account.username), account.role, by_token=True)


def authorize(staff: Staff, args: argparse.Namespace) -> None:
    """With a token, the account's role must have the command's permission: else a "forbidden" row and Failure."""
    if not staff.by_token:
        return  # the OS user: the data's owner
    permission, command = staff_access.permission_for(args), staff_access.command_name(args)
    if not allowed(staff.role, permission):
        staff.log("forbidden", detail=command)
        raise Failure(f"not allowed: `intake {command}` needs the {permission!r} permission"
                      f" (roles: {', '.join(roles_with(permission))}); {staff.user} is a {staff.role}")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--staff", default=None,
                        help="a name to record next to you, as 'on behalf of' (default: $INTAKE_STAFF);"
                             " the access log always names your OS user, or your $INTAKE_TOKEN account")  # fmt: skip
    parser = argparse.ArgumentParser(prog="intake", description="Call-back requests and crisis events, for staff.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    callbacks = commands.add_parser("callbacks", parents=[common], help="list requests: most urgent first, then oldest")
    callbacks.add_argument("--status", help=f"only this status ({', '.join(STATUSES)})")
    output = callbacks.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="JSON, one object per request")
    output.add_argument("--csv", action="store_true", help="CSV, one row per request")

    show = commands.add_parser("show", parents=[common], help="one request with answers, scores, history and transcript")
    show.add_argument("reference")

    set_status = commands.add_parser("set-status", parents=[common], help="move a request to another status")
    set_status.add_argument("reference")
    set_status.add_argument("status", help=", ".join(STATUSES))
    set_status.add_argument("--by", help="on behalf of whom, recorded next to you (default: --staff)")

    notifications = commands.add_parser("notifications", parents=[common], help="the outbox: requests and crisis alerts")
    notifications.add_argument("--undelivered", action="store_true", help="only pending and given-up ones")

    commands.add_parser("deliver", parents=[common], help="send due staff notifications now")

    crises = commands.add_parser("crises", parents=[common], help="crisis events: newest first")
    crises.add_argument("--unreviewed", action="store_true", help="only those not reviewed yet")
    crises.add_argument("--json", action="store_true", help="JSON, one object per event")

    transcript = commands.add_parser("transcript", parents=[common], help="the transcript of one conversation")
    transcript.add_argument("conversation_id")

    review = commands.add_parser("review-crisis", parents=[common], help="mark a crisis event reviewed")
    review.add_argument("id", type=int)
    review.add_argument("--by", help="on behalf of whom, recorded next to you (default: --staff)")

    users.add_parsers(commands, common)
    audit_cli.add_parsers(commands, common)
    flagged_cli.add_parser(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        staff = current_staff(args.staff)
        authorize(staff, args)
        tz = ZoneInfo(current_center().timezone)
        code = COMMANDS[args.command](args, staff, tz)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # `intake callbacks | head`: the reader left. The access log was written before the output.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 1
    except (Failure, *users.ERRORS, *flagged_cli.ERRORS) as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return 1
    except (SQLAlchemyError, CenterConfigError, notify.NotifyConfigError) as exc:
        # First line only: the rest of a database error repeats the SQL statement.
        print(f"intake: {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1


def shown(text: str) -> str:
    """Visitor text as a terminal shows it: control characters (escape sequences, bidi overrides) written out."""
    return escape_controls(text)


def _when(value: datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if value else "-"


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not asked"}[value]


def _score_text(score: ScreeningScore) -> str:
    value = "not scored" if score.score is None else f"{score.score}/{score.max_score}"
    result = {True: "positive", False: "negative", None: ""}[score.positive]
    return " ".join(part for part in (score.instrument, value, result, f"({score.detail})" if score.detail else "") if part)


def _flags(request: CallbackRequest) -> str:
    return "".join(f"  {flag}" for flag, on in (("CRISIS", request.crisis_flag), ("SAME DAY", request.same_day)) if on)


def _print_request_lines(request: CallbackRequest, tz: ZoneInfo) -> None:
    who = "self" if request.for_whom == "self" else "for a loved one"
    print(f"{request.reference}  {request.priority}  {request.status}{_flags(request)}")
    print(f"  {shown(request.first_name)} ({who})  {request.phone_e164}  voicemail: {_yes_no(request.voicemail_ok)}"
          f"  texts: {_yes_no(request.text_ok)}")  # fmt: skip
    print(f"  call back: {request.callback_window}; best time: {shown(request.best_time)};"
          f" received {_when(request.created_at, tz)}")
    if request.reasons:
        print(f"  triage: {shown('; '.join(request.reasons))}")


def _log(staff: Staff, action: str, references=(None,)) -> None:
    """The access log entry, committed before the command prints anything of what it saw."""
    staff.log(action, [Seen(reference) for reference in references])


def _log_rows(staff: Staff, action: str, seen) -> None:
    staff.log(action, [Seen(reference, conversation) for reference, conversation in seen])


def cmd_callbacks(args, staff: Staff, tz: ZoneInfo) -> int:
    if args.status and args.status not in STATUSES:
        raise Failure(f"unknown status {args.status!r}: one of {', '.join(STATUSES)}")
    requests = callbacks.list_callbacks(status=args.status)
    _log(staff, "export" if args.json or args.csv else "list", [r.reference for r in requests] or [None])
    if args.json:
        json.dump([as_dict(r) for r in requests], sys.stdout, indent=2)
        print()
    elif args.csv:
        write_csv(requests, sys.stdout)
    else:
        for position, request in enumerate(requests):
            print("\n" if position else "", end="")
            _print_request_lines(request, tz)
            for answer in request.answers:
                print(f"    {answer.asam_dimension or '-':<3} {answer.question_id}: {shown(answer.label)}")
            for score in request.scores:
                print(f"    score {_score_text(score)}")
        if not requests:
            print("No call-back requests" + (f" with status {args.status}." if args.status else "."))
    return 0


def cmd_show(args, staff: Staff, tz: ZoneInfo) -> int:
    reference = callbacks.normalize_reference(args.reference)[:16]
    request = callbacks.get_callback(reference)
    _log(staff, "show", [reference])
    if request is None:
        raise Failure(f"no call-back request {reference}")
    who = "the person themselves" if request.for_whom == "self" else "a loved one (the person asking is not the patient)"
    print(f"{request.reference}  {request.priority}  status: {request.status}{_flags(request)}")
    print(f"First name: {shown(request.first_name)}, asking for {who}")
    print(f"Phone: {request.phone_e164}  voicemail: {_yes_no(request.voicemail_ok)}  texts: {_yes_no(request.text_ok)}")
    print(f"Best time: {shown(request.best_time)}")
    print(f"Told to expect a call: {request.callback_window}")
    print(f"Received: {_when(request.created_at, tz)}  updated: {_when(request.updated_at, tz)}")
    print(f"Consent: notice {request.consent_notice_version}, {_when(request.consent_at, tz)}")
    print(f"Conversation: {request.conversation_id}")
    print("\nTriage reasons:")
    for reason in request.reasons or ["(none)"]:
        print(f"  - {shown(reason)}")
    print("\nAnswers (ASAM dimension):")
    for answer in request.answers:
        print(f"  {answer.asam_dimension or '-':<3} {answer.question_id}: {shown(answer.label)}")
    print("\nScreening scores:")
    for score in request.scores:
        print(f"  {_score_text(score)}")
    if not request.scores:
        print("  (none)")
    print("\nNotifications:")
    for n in request.notifications:
        print(f"  {n.channel} to {n.target}: {n.status}, attempts {n.attempts}"
              + (f", delivered {_when(n.delivered_at, tz)}" if n.delivered_at else "")
              + (f", last error: {n.last_error}" if n.last_error else ""))  # fmt: skip
    if not request.notifications:
        print("  (no targets configured)")
    print("\nStatus history:")
    for change in request.status_changes:
        step = change.to_status if change.from_status is None else f"{change.from_status} -> {change.to_status}"
        print(f"  {_when(change.changed_at, tz)}  {step}  by {describe(change.changed_by, change.on_behalf_of)}")
    print("\nTranscript:")
    try:
        transcript = read_transcript(request.conversation_id)
    except READ_ERRORS as exc:
        print(f"  (unavailable: {_first_line(exc)})")
        return 0
    _print_transcript(transcript, tz)
    if not transcript:
        print("  (no messages stored for this conversation)")
    return 0


def _first_line(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


def _print_transcript(transcript: list[Turn], tz: ZoneInfo) -> None:
    for turn in transcript:
        print(f"  {turn.at.astimezone(tz).strftime('%H:%M:%S')} {turn.speaker}: {shown(turn.text)}")


def cmd_set_status(args, staff: Staff, tz: ZoneInfo) -> int:
    reference = callbacks.normalize_reference(args.reference)[:16]
    staff = staff.naming(args.by)
    _log(staff, "set-status", [reference])
    try:
        change = callbacks.set_status(reference, args.status, staff.user, on_behalf_of=staff.on_behalf_of)
    except ValueError as exc:
        raise Failure(str(exc)) from exc
    if change is None:
        raise Failure(f"no call-back request {reference}")
    print(f"{reference}: {change.from_status} -> {change.to_status} (by {describe(change.changed_by, change.on_behalf_of)})")
    return 0


def cmd_notifications(args, staff: Staff, tz: ZoneInfo) -> int:
    listed = outbox.notifications(undelivered_only=args.undelivered)
    _log(staff, "notifications")
    for n in listed:
        when = f"delivered {_when(n.delivered_at, tz)}" if n.status == "sent" else f"next attempt {_when(n.next_attempt_at, tz)}"
        if n.status == "failed":
            when = "gave up"
        error = f"  last error: {n.last_error}" if n.last_error else ""
        about = f"#{n.crisis_event_id}" if n.kind == "crisis" else n.request.reference
        print(f"{n.kind:<7}  {about}  {n.channel}  {n.status}  attempts {n.attempts}  {when}  to {n.target}{error}")
    if not listed:
        print("No undelivered notifications." if args.undelivered else "No notifications.")
    return 0


def cmd_deliver(args, staff: Staff, tz: ZoneInfo) -> int:
    config = notify.load_config()
    _log(staff, "deliver")
    counts = notify.deliver_pending(config=config)
    print(f"sent {counts['sent']}, retrying later {counts['retrying']}, gave up {counts['failed']}")
    return 0


def _crisis_dict(event: CrisisEvent, reference: str | None) -> dict:
    return {
        "id": event.id,
        "created_at": event.created_at.isoformat(),
        "kind": event.kind,
        "detected_by": event.detected_by,
        "conversation_id": event.conversation_id,
        "reference": reference,
        "reviewed_at": event.reviewed_at.isoformat() if event.reviewed_at else None,
        "reviewed_by": event.reviewed_by,
        "reviewed_on_behalf_of": event.reviewed_on_behalf_of,
    }


def _reviewed(event: CrisisEvent, tz: ZoneInfo) -> str:
    if not event.reviewed_at:
        return "NOT REVIEWED"
    return f"reviewed by {describe(event.reviewed_by, event.reviewed_on_behalf_of)} {_when(event.reviewed_at, tz)}"


def cmd_crises(args, staff: Staff, tz: ZoneInfo) -> int:
    listed = crises.crises_for_review(unreviewed_only=args.unreviewed)
    seen = dict.fromkeys((reference, event.conversation_id) for event, reference in listed)
    _log_rows(staff, "crises", seen or [(None, None)])
    if args.json:
        json.dump([_crisis_dict(event, reference) for event, reference in listed], sys.stdout, indent=2)
        print()
    else:
        for event, reference in listed:
            print(f"#{event.id}  {_when(event.created_at, tz)}  {event.kind}  detected by {event.detected_by}"
                  f"  conversation {event.conversation_id}  request {reference or '-'}  {_reviewed(event, tz)}")  # fmt: skip
        if not listed:
            print("No unreviewed crisis events." if args.unreviewed else "No crisis events.")
    return 0


def cmd_transcript(args, staff: Staff, tz: ZoneInfo) -> int:
    conversation_id = args.conversation_id[:255]  # the column's length: PostgreSQL refuses longer
    _log_rows(staff, "transcript", [(None, conversation_id)])
    try:
        transcript = read_transcript(conversation_id)
    except READ_ERRORS as exc:
        raise Failure(f"transcript unavailable: {_first_line(exc)}") from exc
    if not transcript:
        raise Failure(f"no messages stored for conversation {conversation_id}")
    print(f"Conversation {conversation_id}, started {_when(transcript[0].at, tz)}")
    _print_transcript(transcript, tz)
    return 0


def cmd_review_crisis(args, staff: Staff, tz: ZoneInfo) -> int:
    event = crises.get_crisis_event(args.id)
    staff = staff.naming(args.by)
    # Logged before the change, as set-status does: an attempt on an unknown id is on record too.
    _log_rows(staff, "review-crisis", [(None, event.conversation_id if event else None)])
    if event is None:
        raise Failure(f"no crisis event {args.id}")
    reviewed = crises.review_crisis(args.id, staff.user, on_behalf_of=staff.on_behalf_of)
    assert reviewed is not None  # the event exists (read above) and crisis events are never deleted
    event, first = reviewed
    if first:
        print(f"crisis event #{event.id}: {_reviewed(event, tz)}")
    else:
        print(f"crisis event #{event.id} was already {_reviewed(event, tz)}; kept")
    return 0


COMMANDS = {
    "callbacks": cmd_callbacks,
    "show": cmd_show,
    "set-status": cmd_set_status,
    "notifications": cmd_notifications,
    "deliver": cmd_deliver,
    "crises": cmd_crises,
    "transcript": cmd_transcript,
    "review-crisis": cmd_review_crisis,
    "users": lambda args, staff, tz: users.run(args, staff),
    "audit": audit_cli.run,
    "flagged": flagged_cli.run,
}

if __name__ == "__main__":
    sys.exit(main())
