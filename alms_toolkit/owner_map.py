"""Write the skeleton of client.yml's CRM owner map (``crm.owners``): one entry per seller of
the lists, its values left empty for the consultant to fill in (``alms crm-owners``).

client.yml is the consultant's file: it is edited in place with ruamel.yaml's round-trip mode
(as :mod:`alms_toolkit.pin_reading` pins a reading), so every comment, the order of the keys
and the quoting stay. An entry already there (filled or not, under the seller's name written
with any case or spacing) is never changed; entries for sellers no longer on the lists are
kept and reported. The file is replaced atomically (the previous one is kept, dated, in
``.history/``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["OwnerSkeleton", "OWNER_ENTRY_FIELDS", "write_owner_skeleton"]

#: the fields of one seller's entry, in the order written
OWNER_ENTRY_FIELDS = ("email", "username", "user_id", "full_name")
_SECTION_COMMENT = (
    "Who each seller is in the client's CRM, for the CRM import files: fill in email (HubSpot,\n"
    "Pipedrive, Dynamics 365), username (Salesforce Data Loader: Owner.Username) or user_id\n"
    "(Salesforce user ID, 15 or 18 characters starting 005) and full_name (the user's name in the CRM)."
)
_ENTRY_COMMENT = "to fill in"


@dataclass(frozen=True)
class OwnerSkeleton:
    """What :func:`write_owner_skeleton` did: the sellers ``added`` (empty entries), those
    ``kept`` (an entry was there), ``unfilled`` (every seller whose entry gives no email, user
    name nor user ID yet, added or kept) and ``others`` (entries for no seller of the lists)."""

    path: Path
    added: tuple[str, ...]
    kept: tuple[str, ...]
    unfilled: tuple[str, ...]
    others: tuple[str, ...]


def _fold(name: Any) -> str:
    return " ".join(str(name).split()).casefold()


def _filled(entry: Any) -> bool:
    if isinstance(entry, str):
        return bool(entry.strip())  # the shorthand: just the email
    if not hasattr(entry, "get"):
        return False
    return any(str(entry.get(f) or "").strip() for f in ("email", "username", "user_id"))


def write_owner_skeleton(config_path: Path | str, sellers: Iterable[str]) -> OwnerSkeleton:
    """Add an empty ``crm.owners`` entry (email, username, user_id, full_name) for each of
    ``sellers`` that client.yml does not map yet; see the module docstring. Raises
    :class:`ConfigError` when client.yml is not valid YAML or ``crm`` / ``crm.owners`` is not
    a group of settings."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    from .atomic import write_text
    from .pin_reading import _yaml

    path = Path(config_path)
    y = _yaml()
    try:
        data = y.load(path.read_text(encoding="utf-8-sig"))
    except YAMLError as exc:
        raise ConfigError(path, f"is not valid YAML, so the owner map cannot be written into it ({exc})") from exc
    if not isinstance(data, CommentedMap):
        raise ConfigError(path, "must hold settings written 'key: value' before the owner map can be written into it")
    crm = data.get("crm")
    if crm is None:
        crm = CommentedMap()
        data["crm"] = crm
        data.yaml_set_comment_before_after_key("crm", before="\n" + _SECTION_COMMENT)
    if not isinstance(crm, CommentedMap):
        raise ConfigError(path, "'crm' must be a group of settings (owners: ...) to write the owner map into it")
    owners = crm.get("owners")
    if owners is None:
        owners = CommentedMap()
        crm["owners"] = owners
    if not isinstance(owners, CommentedMap):
        raise ConfigError(path, "'crm.owners' must map each seller to their CRM user (one per line) to add "
                                "the sellers to it")
    present = {_fold(k): k for k in owners}
    wanted = list(dict.fromkeys(str(s).strip() for s in sellers if str(s).strip()))
    added, kept = [], []
    for seller in wanted:
        if _fold(seller) in present:
            kept.append(seller)
            continue
        entry = CommentedMap((f, None) for f in OWNER_ENTRY_FIELDS)
        owners[seller] = entry
        owners.yaml_add_eol_comment(_ENTRY_COMMENT, seller)
        present[_fold(seller)] = seller
        added.append(seller)
    unfilled = tuple(s for s in wanted if not _filled(owners[present[_fold(s)]]))
    listed = {_fold(s) for s in wanted}
    others = tuple(str(k) for k in owners if _fold(k) not in listed)
    if added:
        out = io.StringIO()
        y.dump(data, out)
        write_text(path, out.getvalue(), keep_backup=True)
    return OwnerSkeleton(path=path, added=tuple(added), kept=tuple(kept), unfilled=unfilled, others=others)
