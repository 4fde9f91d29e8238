/**
 * The export menu entry of cxlab's nbconvert exporter reads "cxlab client report".
 *
 * JupyterLab's notebook-extension (the `@jupyterlab/notebook-extension:export` plugin) adds one
 * `notebook:export-to-format` item per export format of the server, with args {format, label, isPalette},
 * to File > Save and Export Notebook As (isPalette false) and to the command palette (isPalette true). The
 * command's label is args.label ("Save and Export Notebook: <label>" in the palette), and args.label is
 * the format name with its first letter upper-cased unless the format is one of nbconvert's own: our
 * exporter would read "Client_report". The name cannot change (the server's export URL accepts only \w+
 * names), and an exporter cannot give JupyterLab a label.
 *
 * So the command registry's label() answers with LABEL for that format. That covers the menu and the
 * palette, which both ask the registry for the label whenever they draw, whenever JupyterLab adds the
 * items (once the first notebook opens and the formats have come from the server), with no private API.
 * The label is not translated: it names cxlab's exporter, as "HTML" or "PDF" name nbconvert's.
 */

const EXPORT_COMMAND = 'notebook:export-to-format';
const FORMAT = 'client_report'; // cxlab.jupyter.exporter.EXPORTER_NAME
const LABEL = 'cxlab client report';

const plugin = {
  id: 'cxlab:export-menu-label',
  description: 'Labels the client_report export format "cxlab client report".',
  autoStart: true,
  activate: app => {
    const { commands } = app;
    const label = commands.label.bind(commands);
    commands.label = (id, args) =>
      id === EXPORT_COMMAND && args && args.format === FORMAT
        ? label(id, { ...args, label: LABEL })
        : label(id, args);
  }
};

export default plugin;
