"""The category tree, read and written as paths: "Coffee > Beans" is Beans under Coffee.

The tree is small (hundreds of nodes, not millions), so it is read whole once per use
case and looked up in memory. Names match case-insensitively among siblings, so "coffee"
in a file finds the existing "Coffee" instead of making a second one.

The categories dialog adds, renames, moves and deletes nodes here (catalogue.edit), each
audited and noticed (`categories` change kind) so the products screen's filter re-reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import Category, Product

CHANGED = "categories"  # the change notice's kind

SEPARATOR = " > "
MAX_DEPTH = 10
MAX_ID = 2**31 - 1


def split_path(text: str) -> tuple[str, ...]:
    """'Coffee > Beans' -> ('Coffee', 'Beans'); an empty level or a control character is
    refused in words."""
    parts = tuple(
        clean_text(part, "Category", max_length=100, required=True) for part in text.split(">")
    )
    if len(parts) > MAX_DEPTH:
        raise ValidationError(
            _("A category path has at most {max_depth} levels.").format(max_depth=MAX_DEPTH),
            "category",
        )
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

    def subtree(self, category_id: int) -> set[int]:
        """The category and every category under it, however deep (none for an unknown id)."""
        if category_id not in self._nodes:
            return set()
        below: dict[int | None, list[int]] = {}
        for cid, (_name, parent) in self._nodes.items():
            below.setdefault(parent, []).append(cid)
        found: set[int] = set()
        todo = [category_id]
        while todo:
            cid = todo.pop()
            if cid not in found:
                found.add(cid)
                todo.extend(below.get(cid, ()))
        return found

    def sibling(self, parent: int | None, name: str) -> int | None:
        """The id of the category called `name` (any case) under `parent`, if any."""
        return self._children.get((parent, name.casefold()))

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
            raise ValidationError(_("A category path needs at least one name."), "category")
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


@dataclass(frozen=True)
class CategoryNode:
    """One row of the categories dialog and the products screen's filter."""

    id: int
    name: str
    parent_id: int | None
    path: str
    products: int  # products in this category itself (not below it)


def tree(session: Session, actor: Actor) -> list[CategoryNode]:
    """Every category with its path and how many products it holds, sorted by path."""
    require(actor, Permission.CATALOGUE_VIEW)
    loaded = CategoryTree.load(session)
    counts = {
        cid: int(count)
        for cid, count in session.execute(
            select(Product.category_id, func.count(Product.id))
            .where(Product.category_id.is_not(None))
            .group_by(Product.category_id)
        )
    }
    nodes = [
        CategoryNode(cid, name, parent, loaded.path(cid), counts.get(cid, 0))
        for cid, name, parent in session.execute(
            select(Category.id, Category.name, Category.parent_id)
        )
    ]
    return sorted(nodes, key=lambda n: n.path.casefold())


def _name(value: object) -> str:
    name = clean_text(value, "Category name", max_length=100, required=True)
    if ">" in name:
        raise ValidationError(_("A category name has no '>' (it separates the levels)."), "name")
    return name


def _get(session: Session, category_id: object) -> Category:
    found = None
    if isinstance(category_id, int) and not isinstance(category_id, bool):
        if 0 < category_id <= MAX_ID:  # an id the column can hold, or none at all
            found = session.get(Category, category_id)
    if found is None:
        raise NotFound(_("That category no longer exists: open the list again."))
    return found


def _free(loaded: CategoryTree, parent: int | None, name: str, itself: int | None = None) -> None:
    taken = loaded.sibling(parent, name)
    if taken is not None and taken != itself:
        where = loaded.path(parent) or "the top level"
        raise ValidationError(
            _("There is a category '{name}' in {where} already.").format(name=name, where=where),
            "name",
        )


def add_category(session: Session, actor: Actor, name: str, parent_id: int | None = None) -> int:
    """A new category under `parent_id` (None: at the top); returns its id."""
    require(actor, Permission.CATALOGUE_EDIT)
    clean = _name(name)
    if parent_id is not None:
        _get(session, parent_id)
    loaded = CategoryTree.load(session)
    _free(loaded, parent_id, clean)
    if len(_parts(loaded, parent_id)) >= MAX_DEPTH:
        raise ValidationError(
            _("A category path has at most {max_depth} levels.").format(max_depth=MAX_DEPTH),
            "parent",
        )
    new_id = session.execute(
        insert(Category).values(name=clean, parent_id=parent_id).returning(Category.id)
    ).scalar_one()
    _done(session, actor, "category.added", loaded.path(parent_id), clean)
    return new_id


def rename_category(session: Session, actor: Actor, category_id: int, name: str) -> None:
    """Give a category another name; its products and sub-categories stay in it."""
    require(actor, Permission.CATALOGUE_EDIT)
    node = _get(session, category_id)
    clean = _name(name)
    loaded = CategoryTree.load(session)
    _free(loaded, node.parent_id, clean, node.id)
    before = loaded.path(node.id)
    node.name = clean
    session.flush()
    _done(session, actor, "category.renamed", before, clean)


def move_category(session: Session, actor: Actor, category_id: int, parent_id: int | None) -> None:
    """Put a category (with everything under it) under another one, or at the top."""
    require(actor, Permission.CATALOGUE_EDIT)
    node = _get(session, category_id)
    loaded = CategoryTree.load(session)
    if parent_id is not None:
        _get(session, parent_id)
        if parent_id in loaded.subtree(node.id):
            raise ValidationError(
                _("'{value}' cannot go under itself or one of its own.").format(
                    value=loaded.path(node.id)
                ),
                "parent",
            )
    _free(loaded, parent_id, node.name, node.id)
    depth = len(_parts(loaded, parent_id)) + _height(loaded, node.id)
    if depth > MAX_DEPTH:
        raise ValidationError(
            _("A category path has at most {max_depth} levels.").format(max_depth=MAX_DEPTH),
            "parent",
        )
    before = loaded.path(node.id)
    node.parent_id = parent_id
    session.flush()
    _done(session, actor, "category.moved", before, loaded.path(parent_id) or "the top level")


def delete_category(session: Session, actor: Actor, category_id: int) -> None:
    """Remove an empty category: one that holds products or categories is refused."""
    require(actor, Permission.CATALOGUE_EDIT)
    node = _get(session, category_id)
    loaded = CategoryTree.load(session)
    path = loaded.path(node.id)
    held = session.scalar(select(func.count(Product.id)).where(Product.category_id == node.id))
    if held:
        raise ValidationError(
            _("'{path}' holds {held} product(s): move them to another category first.").format(
                path=path, held=held
            )
        )
    if len(loaded.subtree(node.id)) > 1:
        raise ValidationError(
            _("'{path}' has categories under it: move or delete those first.").format(path=path)
        )
    session.delete(node)
    session.flush()
    _done(session, actor, "category.deleted", path, "")


def _parts(loaded: CategoryTree, category_id: int | None) -> tuple[str, ...]:
    path = loaded.path(category_id)
    return tuple(path.split(SEPARATOR)) if path else ()


def _height(loaded: CategoryTree, category_id: int) -> int:
    """Levels from this category down to its deepest one (1 for a leaf)."""
    own = len(_parts(loaded, category_id))
    return max(len(_parts(loaded, cid)) for cid in loaded.subtree(category_id)) - own + 1


def _done(session: Session, actor: Actor, action: str, subject: str, detail: str) -> None:
    audit.record(session, actor, action, f"category {subject}".strip(), detail)
    changes.note(session, kind=CHANGED)
