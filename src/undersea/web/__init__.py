"""The web app: a REST API and an offline web map (``undersea serve``).

Needs the ``web`` extra (``pip install 'undersea[web]'``: FastAPI and uvicorn).

>>> import undersea
>>> from undersea.web import create_app
>>> app = create_app(undersea.load(sample=True))
"""

from __future__ import annotations

from undersea.web._state import Limits
from undersea.web.app import FieldError, create_app

__all__ = ["FieldError", "Limits", "create_app"]
