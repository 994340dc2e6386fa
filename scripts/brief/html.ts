/**
 * The meeting brief as one self-contained HTML page (charts inline as SVG, no script, no
 * external file), in Bahasa Indonesia, printable on A4.
 */
import type { BriefDocument, Block } from './blocks.js';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
  body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; font-size: 14px; line-height: 1.45; }
  header { border-bottom: 3px solid #1f4e79; padding-bottom: 1rem; margin-bottom: 1.5rem; }
  h1 { color: #1f4e79; font-size: 1.9rem; margin: 0 0 .3rem; }
  .subtitle { color: #5a5a5a; font-size: 1.1rem; margin: 0 0 1rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.2rem; margin: 0; }
  dt { font-weight: bold; }
  dd { margin: 0; }
  h2 { color: #1f4e79; font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #c8c8c8; padding-bottom: .2rem; }
  p.muted { color: #5a5a5a; }
  p.note { background: #fff4e5; border-left: 4px solid #f79646; padding: .5rem .8rem; }
  table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: 13px; }
  th, td { border-bottom: 1px solid #d9d9d9; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  th { background: #eef2f6; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  tfoot td { font-weight: bold; border-top: 2px solid #1f4e79; }
  figure { margin: 1rem 0; }
  figcaption { font-weight: bold; margin-bottom: .3rem; }
  figure svg { max-width: 100%; height: auto; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${escape(b.text)}</h2>`;
    case 'paragraph':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${escape(b.text)}</p>`;
    case 'chart':
      return `<figure class="chart"><figcaption>${escape(b.chart.title)}</figcaption>${b.chart.svg}</figure>`;
    case 'table': {
      const cls = (numeric?: boolean) => (numeric ? ' class="n"' : '');
      const head = b.columns.map((c) => `<th${cls(c.numeric)}>${escape(c.label)}</th>`).join('');
      const row = (cells: string[]) =>
        `<tr>${cells.map((cell, i) => `<td${cls(b.columns[i]?.numeric)}>${escape(cell)}</td>`).join('')}</tr>`;
      const foot = b.total ? `<tfoot>${row(b.total)}</tfoot>` : '';
      return `<table><thead><tr>${head}</tr></thead><tbody>${b.rows.map(row).join('')}</tbody>${foot}</table>`;
    }
  }
}

export function renderBriefHtml(doc: BriefDocument): string {
  const facts = doc.cover.facts.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join('');
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(`${doc.cover.title} — ${doc.cover.subtitle}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escape(doc.cover.title)}</h1>
<p class="subtitle">${escape(doc.cover.subtitle)}</p>
<dl>${facts}</dl>
</header>
<main>
${doc.blocks.map(block).join('\n')}
</main>
</body>
</html>
`;
}
