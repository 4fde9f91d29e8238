"""JupyterLab integration: the ``client_report`` nbconvert exporter (File → Save and Export Notebook As)."""
