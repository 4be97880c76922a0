"""The HTML report: altair charts (charts.py) inside one offline Jinja2 page (render.py)."""
