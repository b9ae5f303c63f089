"""Server-rendered pages every service shares: the page entrypoint (cookie sign-in, role gate,
CSRF, language, errors as pages), the base template, labels in Chinese and English."""
from shared.web.pages import Page, form_data, page, redirect, render, signed_in

SITE_PROGRAM = "sichuan-ecommerce-demo"  # the program the pages offer (the first one fully supported)
CITIES_PROGRAM = "national-ecommerce-demo-cities"  # the national cities' pages (ADR 42)

__all__ = ["CITIES_PROGRAM", "SITE_PROGRAM", "Page", "form_data", "page", "redirect", "render", "signed_in"]
