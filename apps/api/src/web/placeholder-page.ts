/** Served at `/` until a web UI build is configured (WEB_DIR) or found. */
export const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>memelab</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; color: #1b1b1f; }
  @media (prefers-color-scheme: dark) { body { background: #121216; color: #e8e8ee; } a { color: #8ab4ff; } }
  code { background: rgba(127,127,127,.15); padding: .1rem .3rem; border-radius: .25rem; }
  img { max-width: 100%; border-radius: .5rem; }
</style>
</head>
<body>
<h1>memelab is running</h1>
<p>The API is up. Try a meme through a memegen-style URL:</p>
<p><a href="/images/this-is-fine-datacenter/the_cluster_is_on_fire/this_is_fine.jpg"><code>/images/this-is-fine-datacenter/the_cluster_is_on_fire/this_is_fine.jpg</code></a></p>
<ul>
  <li><a href="/api/docs">API documentation</a> (<a href="/api/openapi.json">OpenAPI document</a>)</li>
  <li><a href="/api/templates">Templates</a> and <a href="/api/memes">recent memes</a></li>
  <li><a href="/readyz">Readiness</a> and <a href="/metrics">metrics</a></li>
</ul>
</body>
</html>
`;
