// The tests import this file under the root tsconfig, which leaves src/web (and so the types of
// subset-font) out.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./subset-font.d.ts" />
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import subsetFont from 'subset-font';
import type { Plugin } from 'vite';

/**
 * The Chinese faces the web app ships: Noto Sans SC Regular cut down, at build time, to the
 * characters the app can show in Chinese, so that Chinese reads right on a machine without a CJK
 * font (without one the text is drawn as boxes). styles.css names them in its font stacks after
 * the system's own CJK fonts, so a machine that has one never downloads them.
 *
 * The first face holds the app's Chinese text: the Chinese messages, the place names of the
 * reference network (aliases such as 青岛港) and the demo's organisation profiles. The second holds
 * only the language picker's "中文", which every page shows: so a page in another language
 * downloads a face of two glyphs, not the whole of the app's Chinese. A source folder stands for
 * every .json, .ts and .tsx file in it; paths are relative to the checkout.
 */
export const CJK_FACES = [
  {
    family: 'Corridor Noto Sans SC',
    file: 'noto-sans-sc',
    sources: ['src/web/i18n/zh.ts', 'data', 'src/app/demo'],
    /** What the browser's zh-CN dates and times add (2026年12月1日 星期二 下午). */
    extra: '年月日时分秒星期一二三四五六上午下午',
  },
  {
    family: 'Corridor Language Names',
    file: 'noto-sans-sc-language-names',
    sources: ['src/web/i18n/i18n.tsx'],
    extra: '',
  },
] as const;

/**
 * The Unicode blocks the face answers for (CJK radicals, symbols and punctuation, ideographs,
 * compatibility ideographs and forms, full-width forms). Latin letters and punctuation are not
 * among them: the face is only downloaded by a page that shows a character of these blocks, so a
 * page in another language never downloads it, and Latin text in a Chinese page keeps the Latin
 * font. Inclusive code point bounds.
 */
export const CJK_BLOCKS: readonly (readonly [number, number])[] = [
  [0x2e80, 0x2fdf],
  [0x3000, 0x303f],
  [0x3100, 0x312f],
  [0x31c0, 0x31ef],
  [0x3200, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xffef],
];

const require = createRequire(import.meta.url);
const NOTO_SANS_SC =
  require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/** The files of the sources (of every face when none are given), relative to root, sorted. */
export function cjkSourceFiles(
  root: string,
  sources: readonly string[] = CJK_FACES.flatMap((f) => f.sources),
): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else if (/\.(json|tsx?)$/.test(path)) files.push(relative(root, path));
  };
  for (const s of sources) walk(join(root, s));
  return files.sort();
}

const inBlocks = (cp: number) => CJK_BLOCKS.some(([lo, hi]) => cp >= lo && cp <= hi);

/** Every character of CJK_BLOCKS in the source files, once each, in code point order. */
export function chineseCharacters(root: string, sources: readonly string[]): string {
  const chars = new Set<number>();
  for (const f of cjkSourceFiles(root, sources))
    for (const c of readFileSync(join(root, f), 'utf8')) {
      const cp = c.codePointAt(0)!;
      if (inBlocks(cp)) chars.add(cp);
    }
  return String.fromCodePoint(...[...chars].sort((a, b) => a - b));
}

/** The subset of Noto Sans SC holding exactly `text`'s characters, as WOFF2. */
export async function cjkFontSubset(text: string): Promise<Buffer> {
  return subsetFont(readFileSync(NOTO_SANS_SC), text, { targetFormat: 'woff2' });
}

const hex = (cp: number) => cp.toString(16).toUpperCase();

/** The @font-face rule of the family's face at `url`. */
function fontFace(family: string, url: string): string {
  const range = CJK_BLOCKS.map(([lo, hi]) => `U+${hex(lo)}-${hex(hi)}`).join(', ');
  return (
    `@font-face { font-family: '${family}'; font-style: normal; font-weight: 400; ` +
    `font-display: swap; src: url('${url}') format('woff2'); unicode-range: ${range}; }`
  );
}

interface BuiltFace {
  family: string;
  fileName: string;
  source: Buffer;
}

/**
 * Builds the faces from the app's Chinese text (so that they cannot fall behind zh.ts or the
 * data), emits each as assets/<file>-<hash>.woff2 (served with the other assets, cached for good)
 * and declares them in index.html. The dev server answers the same paths.
 */
export function cjkFont(root: string): Plugin {
  let faces: Promise<BuiltFace[]> | undefined;
  const build = () =>
    (faces ??= Promise.all(
      CJK_FACES.map(async ({ family, file, sources, extra }) => {
        const source = await cjkFontSubset(chineseCharacters(root, sources) + extra);
        const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
        return { family, source, fileName: `assets/${file}-${hash}.woff2` };
      }),
    ));
  return {
    name: 'cjk-font',
    async generateBundle() {
      for (const { fileName, source } of await build()) {
        this.emitFile({ type: 'asset', fileName, source });
        console.log(`Chinese font: ${fileName} ${(source.length / 1024).toFixed(1)} KB`);
      }
    },
    async transformIndexHtml() {
      const css = (await build()).map((f) => fontFace(f.family, `/${f.fileName}`)).join('\n');
      return [{ tag: 'style', children: css, injectTo: 'head' }];
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        void build().then((built) => {
          const face = built.find((f) => req.url === `/${f.fileName}`);
          if (!face) return next();
          res.setHeader('content-type', 'font/woff2');
          res.end(face.source);
        }, next);
      });
    },
  };
}
