"""The moderation app's models, one module per domain, all importable from ``moderation.models``
as Django expects:

- ``organisation``: the public body and its published contacts (the allow list);
- ``channels``: its accounts on the platforms, and what connecting one leaves behind;
- ``authors``: the people commenting;
- ``comments``: posts, comments, the rules' flags on them, quarantined items;
- ``tags``, ``notes``, ``reply_templates``: what officers put on comments and start replies from;
- ``escalations``: escalation routes and escalations;
- ``appeals``: authors' appeals against a hide or removal;
- ``outbox``: platform actions and emails waiting for a worker to send them;
- ``data_protection``: legal holds, and why an officer looks at an author's history;
- ``strikes``: dated strikes against repeat offenders;
- ``backtests``: draft rule sets run over stored comments;
- ``heartbeats``: when each long-running process last finished its loop.

State changes go through ``moderation.actions``; nothing else saves these rows.
"""

from moderation.classifiers.models import ClassifierUsage as ClassifierUsage
from moderation.classifiers.models import OutsideScore as OutsideScore
from moderation.models.appeals import Appeal as Appeal
from moderation.models.authors import Author as Author
from moderation.models.authors import Person as Person
from moderation.models.backtests import Backtest as Backtest
from moderation.models.channels import NATION_CHOICES as NATION_CHOICES
from moderation.models.channels import PLATFORM_CHOICES as PLATFORM_CHOICES
from moderation.models.channels import Channel as Channel
from moderation.models.channels import MastodonApp as MastodonApp
from moderation.models.channels import PendingConnection as PendingConnection
from moderation.models.comments import Comment as Comment
from moderation.models.comments import Flag as Flag
from moderation.models.comments import Post as Post
from moderation.models.comments import QuarantinedItem as QuarantinedItem
from moderation.models.data_protection import LegalHold as LegalHold
from moderation.models.data_protection import ProfilePurpose as ProfilePurpose
from moderation.models.escalations import MAX_ROUTE_DEADLINE as MAX_ROUTE_DEADLINE
from moderation.models.escalations import STATUTORY_ROUTE_KEYS as STATUTORY_ROUTE_KEYS
from moderation.models.escalations import Escalation as Escalation
from moderation.models.escalations import EscalationRoute as EscalationRoute
from moderation.models.heartbeats import ServiceHeartbeat as ServiceHeartbeat
from moderation.models.notes import Note as Note
from moderation.models.organisation import AllowListEntry as AllowListEntry
from moderation.models.organisation import Organisation as Organisation
from moderation.models.outbox import ModerationAction as ModerationAction
from moderation.models.outbox import Notification as Notification
from moderation.models.reply_templates import ReplyTemplate as ReplyTemplate
from moderation.models.strikes import Strike as Strike
from moderation.models.tags import CommentTag as CommentTag
from moderation.models.tags import Tag as Tag
