"""Every conversation (with or without a request) for clinicians: the list and its filters, one conversation with
its tags and reply flags, and the flagged replies for whoever maintains the training data.

Filters are in the query string and hold no PHI (dates, a channel, yes/no, a tag
staff chose). The conversation id is opaque (web:, sms:<keyed hash>, rest:) and
goes in the path.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from assistant.db import flags
from assistant.db.audit import Seen
from assistant.db.models import REPLY_FLAG_KINDS
from console import transcript
from console.app import audit_view, client_address, database_url, requires, tracker_url, username
from console.conversation_index import ConversationFilters, conversation_page, request_references
from console.query_args import day_arg, page_arg
from rasa_ext.conversation_index import CHANNELS, event_texts
from rasa_ext.transcripts import READ_ERRORS, messages_before

blueprint = Blueprint("conversations", __name__)
PER_PAGE = 50
YES_NO = {"yes": True, "no": False}


def _tag_arg() -> str | None:
    try:
        return flags.normalize_tag(request.args.get("tag", "")) if request.args.get("tag") else None
    except ValueError:
        return None


def _filters() -> ConversationFilters:
    channel = request.args.get("channel")
    return ConversationFilters(
        day_from=day_arg("from"), day_to=day_arg("to"), channel=channel if channel in CHANNELS else None,
        crisis=YES_NO.get(request.args.get("crisis", "")), fallback=YES_NO.get(request.args.get("fallback", "")),
        without_request=request.args.get("norequest") == "1", tag=_tag_arg())


@blueprint.route("/conversations")
@requires("conversations")
def conversations() -> ResponseReturnValue:
    chosen = _filters()
    try:
        result = conversation_page(chosen, page_arg(), PER_PAGE, database_url=database_url(), tracker_url=tracker_url())
        unavailable = None
    except READ_ERRORS as exc:
        result, unavailable = None, f"the transcript store could not be read ({type(exc).__name__})"
    rows = result.rows if result else []
    audit_view("conversations", [Seen(reference=row.reference, conversation_id=row.conversation_id) for row in rows]
               or None, detail=f"page {result.page if result else 1}")
    return render_template("conversations.html", title="Conversations", result=result, unavailable=unavailable,
                           f=chosen, channels=CHANNELS)


@blueprint.route("/conversations/flagged")
@requires("conversations")
def flagged() -> ResponseReturnValue:
    every = flags.list_flags(url=database_url())
    pages = max(1, -(-len(every) // PER_PAGE))
    page = min(page_arg(), pages)
    shown = every[(page - 1) * PER_PAGE:page * PER_PAGE]
    try:
        replies = event_texts((flag.event_id for flag in shown), tracker_url())
        before = messages_before(((flag.conversation_id, flag.event_id) for flag in shown), tracker_url())
        unavailable = None
    except READ_ERRORS as exc:
        replies, before = {}, {}
        unavailable = f"the transcript store could not be read ({type(exc).__name__})"
    audit_view("flagged", [Seen(conversation_id=c) for c in dict.fromkeys(f.conversation_id for f in shown)] or None,
               detail=f"page {page}")
    return render_template("flagged.html", title="Flagged replies", shown=shown, total=len(every), page=page,
                           pages=pages, replies=replies, before=before, unavailable=unavailable)


@blueprint.route("/conversations/<path:conversation_id>")
@requires("conversations")
def show(conversation_id: str) -> ResponseReturnValue:
    if len(conversation_id) > flags.MAX_CONVERSATION_ID:  # none is longer (Rasa's sender_id, the access log's column)
        abort(404)
    reference = request_references([conversation_id], database_url()).get(conversation_id)
    audit_view("conversation", [Seen(reference=reference, conversation_id=conversation_id)], detail="transcript")
    flagged_replies: dict[int, list] = {}
    for flag in flags.list_flags(conversation_id, url=database_url()):
        flagged_replies.setdefault(flag.event_id, []).append(flag)
    return render_template("conversation.html", title="Conversation", conversation_id=conversation_id,
                           reference=reference, shown=transcript.load(conversation_id, database_url()),
                           tags=flags.tags_for([conversation_id], url=database_url())[conversation_id],
                           flagged=flagged_replies, kinds=REPLY_FLAG_KINDS, note_max=flags.MAX_NOTE)


def _back(conversation_id: str) -> ResponseReturnValue:
    return redirect(url_for("conversations.show", conversation_id=conversation_id))


@blueprint.route("/conversations/<path:conversation_id>/tags", methods=["POST"])
@requires("conversations")
def add_tag(conversation_id: str) -> ResponseReturnValue:
    try:  # audited inside, with the change
        added = flags.tag_conversation(conversation_id, request.form.get("tag", ""), username(),
                                       address=client_address(), url=database_url())
    except ValueError as exc:
        flash(f"Tag not added: {exc}.", "error")
        return _back(conversation_id)
    flash("Tag added." if added else "The conversation has that tag already.", "ok")
    return _back(conversation_id)


@blueprint.route("/conversations/<path:conversation_id>/tags/remove", methods=["POST"])
@requires("conversations")
def remove_tag(conversation_id: str) -> ResponseReturnValue:
    try:
        removed = flags.untag(conversation_id, request.form.get("tag", ""), username(), address=client_address(),
                              url=database_url())
    except ValueError as exc:
        flash(f"Tag not removed: {exc}.", "error")
        return _back(conversation_id)
    flash("Tag removed." if removed else "The conversation did not have that tag.", "ok")
    return _back(conversation_id)


@blueprint.route("/conversations/<path:conversation_id>/flags", methods=["POST"])
@requires("conversations")
def flag(conversation_id: str) -> ResponseReturnValue:
    kind, note = request.form.get("kind", ""), request.form.get("note", "").strip()
    event = request.form.get("event_id", "")
    replies = {item.turn.event_id for item in transcript.load(conversation_id, database_url()).turns
               if item.turn.speaker == "assistant"}
    if not event.isdigit() or int(event) not in replies:
        flash("That reply is not in this conversation.", "error")
    elif kind not in REPLY_FLAG_KINDS or not note:
        flash("To flag a reply, choose wrong or unsafe and write a note saying why.", "error")
    elif len(note) > flags.MAX_NOTE:
        flash(f"A note holds at most {flags.MAX_NOTE} characters: shorten it.", "error")
    else:  # audited inside, with the change
        flags.flag_reply(conversation_id, int(event), kind, note, username(), address=client_address(),
                         url=database_url())
        flash(f"Reply flagged as {kind}.", "ok")
    return _back(conversation_id)
