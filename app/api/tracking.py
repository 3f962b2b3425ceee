"""/track/{token}: the customer's page, plain HTML (autoescaped Jinja2), no JavaScript,
readable on a phone, in the customer's language (services/channels/tracking: theirs
where known, else the shop's); its own words are marked here and given to the templates
translated. An unknown token is a 404 page in the same look."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from app import paths
from app.api import calls
from app.core.errors import NotFound
from app.core.i18n import N_, translations
from app.services.channels import tracking

PAGE_WORDS = {  # the templates' own words (web/track.html), marked here, shown translated
    "order": N_("Order"),
    "shipments": N_("Shipments"),
    "shipment": N_("Shipment"),
    "history": N_("What happened"),
}
SHIPMENT_WORDS = {
    "shipped": N_("shipped"),
    "delivered": N_("delivered"),
    "exception": N_("exception"),
}


def page_words(language: str) -> dict[str, object]:
    """The page's words in `language`, and its shipments' states."""
    catalogue = translations(language)
    words: dict[str, object] = {key: catalogue.gettext(text) for key, text in PAGE_WORDS.items()}
    words["states"] = {key: catalogue.gettext(text) for key, text in SHIPMENT_WORDS.items()}
    return words


@cache
def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(paths.resources_dir() / "templates" / "web"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def _render(context: calls.Context, token: str) -> tuple[int, str]:
    with context.database.read() as session:
        try:
            view = tracking.page(session, token)
        except NotFound as exc:
            shop = tracking.shop_name(session)
            return 404, templates().get_template("not_found.html").render(
                shop=shop, message=exc.message
            )
    words = page_words(view.language)
    return 200, templates().get_template("track.html").render(page=view, words=words)


def router(context: calls.Context) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/track/{token}", response_class=HTMLResponse)
    async def track(token: str) -> HTMLResponse:
        status, html = await run_in_threadpool(_render, context, token)
        return HTMLResponse(html, status_code=status)

    return pages
