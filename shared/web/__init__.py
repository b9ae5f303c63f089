"""Server-rendered pages every service shares: the page entrypoint (cookie sign-in, role gate,
CSRF, language, errors as pages), the base template, labels in Chinese and English."""
from shared.web.pages import Page, form_data, page, redirect, render, signed_in

__all__ = ["Page", "form_data", "page", "redirect", "render", "signed_in"]
