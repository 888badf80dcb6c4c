// Module hooks for test/proto-codec-browser.test.ts: every import of
// src/protocol/proto-codec resolves to proto-codec.browser.ts, as a browser
// bundler resolves it through package.json "browser".
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (/\/src\/protocol\/proto-codec\.(ts|js)$/.test(result.url)) return { ...result, url: result.url.replace(/proto-codec\.(ts|js)$/, 'proto-codec.browser.ts') };
  return result;
}
