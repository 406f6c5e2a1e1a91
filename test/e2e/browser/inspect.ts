/**
 * What the browser test measures inside the rendered email, as one expression evaluated in the
 * page (plain JavaScript in a string: a transpiled function's source could reference helpers
 * that do not exist in the page).
 */

export interface EmailInspection {
  readonly viewportWidth: number;
  /** Width of the whole document; more than the viewport means a horizontal scrollbar. */
  readonly scrollWidth: number;
  /** Visible elements reaching past the right edge of the viewport (tag.class "text…"), at most 10. */
  readonly overflowing: string[];
  readonly images: { alt: string; loaded: boolean; src: string; width: number }[];
  readonly scripts: number;
  /** Attributes named on* (event handlers) anywhere in the document. */
  readonly handlers: string[];
  readonly title: string;
  /** The visible text of the body. */
  readonly text: string;
  /** Background color of the document body, as [r, g, b]. */
  readonly pageBackground: number[];
  /** Background color of the email's outer wrapper (the page color around the white cards), as [r, g, b]. */
  readonly emailBackground: number[];
  /** Text elements whose contrast ratio to their background is below `minContrast`, at most 10. */
  readonly lowContrast: { element: string; text: string; color: string; background: string; ratio: number }[];
  /** The lowest WCAG contrast ratio between any visible text and its background. */
  readonly minContrast: number;
  /** Text elements measured. */
  readonly textElements: number;
}

/** The expression: evaluates to an EmailInspection; `minContrast` is the WCAG threshold for lowContrast. */
export function inspectEmail(minContrast: number): string {
  return `(() => {
  const MIN = ${JSON.stringify(minContrast)};
  const parse = (css) => {
    const m = css.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a = '1'] = m[1].split(/[ ,/]+/).filter(Boolean);
    return [Number(r), Number(g), Number(b), Number(a)];
  };
  // The color actually behind an element: its own background blended over its ancestors' (white canvas last).
  const background = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let rgb = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) rgb = [r * a + rgb[0] * (1 - a), g * a + rgb[1] * (1 - a), b * a + rgb[2] * (1 - a)];
    return rgb;
  };
  const luminance = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
  };
  const width = window.innerWidth;
  const all = [...document.body.querySelectorAll('*')];
  const overflowing = all
    .filter((el) => visible(el) && el.getBoundingClientRect().right > width + 0.5)
    .slice(0, 10)
    .map((el) => describe(el) + ' "' + (el.textContent || '').trim().slice(0, 40) + '" right=' + Math.round(el.getBoundingClientRect().right));
  const texts = all.filter((el) => visible(el) && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== ''));
  const measured = texts.map((el) => {
    const fg = parse(getComputedStyle(el).color);
    const bg = background(el);
    return { el, fg, bg, ratio: contrast(fg, bg) };
  });
  const handlers = [];
  for (const el of document.querySelectorAll('*')) for (const a of el.attributes) if (/^on/i.test(a.name)) handlers.push(el.tagName.toLowerCase() + '[' + a.name + ']');
  return {
    viewportWidth: width,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    overflowing,
    images: [...document.images].map((img) => ({
      alt: img.getAttribute('alt') || '',
      loaded: img.complete && img.naturalWidth > 0,
      src: (img.getAttribute('src') || '').slice(0, 22),
      width: Math.round(img.getBoundingClientRect().width),
    })),
    scripts: document.scripts.length,
    handlers,
    title: document.title,
    text: document.body.innerText,
    pageBackground: background(document.body).map(Math.round),
    emailBackground: background(document.querySelector('.ap-page') || document.body).map(Math.round),
    lowContrast: measured
      .filter((m) => m.ratio < MIN)
      .slice(0, 10)
      .map((m) => ({
        element: describe(m.el),
        text: m.el.textContent.trim().slice(0, 40),
        color: 'rgb(' + m.fg.slice(0, 3).join(',') + ')',
        background: 'rgb(' + m.bg.map(Math.round).join(',') + ')',
        ratio: Math.round(m.ratio * 100) / 100,
      })),
    minContrast: Math.round(Math.min(...measured.map((m) => m.ratio)) * 100) / 100,
    textElements: measured.length,
  };
})()`;
}
