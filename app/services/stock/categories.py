"""The category tree, read and written as paths: "Coffee > Beans" is Beans under Coffee.

The tree is small (hundreds of nodes, not millions), so it is read whole once per use
case and looked up in memory. Names match case-insensitively among siblings, so "coffee"
in a file finds the existing "Coffee" instead of making a second one.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.validation import clean_text
from app.models import Category

SEPARATOR = " > "
MAX_DEPTH = 10


def split_path(text: str) -> tuple[str, ...]:
    """'Coffee > Beans' -> ('Coffee', 'Beans'); an empty level or a control character is
    refused in words."""
    parts = tuple(
        clean_text(part, "Category", max_length=100, required=True) for part in text.split(">")
    )
    if len(parts) > MAX_DEPTH:
        raise ValidationError(f"A category path has at most {MAX_DEPTH} levels.", "category")
    return parts


class CategoryTree:
    """Every category, by id and by (parent, folded name)."""

    def __init__(self, rows: list[tuple[int, str, int | None]]) -> None:
        self._nodes: dict[int, tuple[str, int | None]] = {}
        self._children: dict[tuple[int | None, str], int] = {}
        for cid, name, parent in rows:
            self._add(cid, name, parent)

    @classmethod
    def load(cls, session: Session) -> CategoryTree:
        return cls(
            [
                (cid, name, parent)
                for cid, name, parent in session.execute(
                    select(Category.id, Category.name, Category.parent_id).order_by(Category.id)
                )
            ]
        )

    def _add(self, cid: int, name: str, parent: int | None) -> None:
        self._nodes[cid] = (name, parent)
        self._children.setdefault((parent, name.casefold()), cid)

    def find(self, parts: tuple[str, ...]) -> int | None:
        """The id of an existing path, or None if some level does not exist yet."""
        parent: int | None = None
        for name in parts:
            found = self._children.get((parent, name.casefold()))
            if found is None:
                return None
            parent = found
        return parent

    def path(self, category_id: int | None) -> str:
        """'Coffee > Beans' for an id ('' for none)."""
        names: list[str] = []
        seen: set[int] = set()
        while category_id is not None and category_id in self._nodes and category_id not in seen:
            seen.add(category_id)
            name, category_id = self._nodes[category_id]
            names.append(name)
        return SEPARATOR.join(reversed(names))

    def ensure(self, session: Session, actor: Actor, parts: tuple[str, ...]) -> int:
        """The id of a path, making the levels that are missing."""
        require(actor, Permission.CATALOGUE_EDIT)
        parent: int | None = None
        for name in parts:
            found = self._children.get((parent, name.casefold()))
            if found is None:
                found = session.execute(
                    insert(Category).values(name=name, parent_id=parent).returning(Category.id)
                ).scalar_one()
                self._add(found, name, parent)
            parent = found
        if parent is None:
            raise ValidationError("A category path needs at least one name.", "category")
        return parent


def paths(session: Session, actor: Actor) -> list[str]:
    """Every category as its 'Parent > Child' path, sorted: the editor's category choices."""
    require(actor, Permission.CATALOGUE_VIEW)
    tree = CategoryTree.load(session)
    ids = session.execute(select(Category.id)).scalars().all()
    return sorted((tree.path(cid) for cid in ids), key=str.casefold)


def resolve(session: Session, actor: Actor, text: str) -> int | None:
    """The id of the path typed in the editor (None when blank), making missing levels;
    making a category needs the catalogue-edit permission, like saving a product."""
    require(actor, Permission.CATALOGUE_EDIT)
    if not text.strip():
        return None
    tree = CategoryTree.load(session)
    return tree.ensure(session, actor, split_path(text))
