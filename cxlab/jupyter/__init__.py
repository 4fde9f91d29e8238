"""JupyterLab integration: the ``cxlab_report`` nbconvert exporter (File → Save and Export Notebook As)."""
