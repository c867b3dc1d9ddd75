// The pages index.html carries a static copy of: where each is, which API requests are held
// back while its copy is taken (and while prerender.spec.ts compares it with the app), and
// what its markup must contain. Shared by snapshot.mjs and prerender.spec.ts.
export const PAGES = {
  setup: {
    path: "/connections/aws/new/setup",
    held: /\/billing\/v1\/assets|\/cloudflow\/v1\/connections|\/iam\/v1\/users(?!\?email=)/,
    mustContain: 'id="connection-name"',
  },
  connections: {
    path: "/connections",
    held: /\/(auth|iam|billing|cloudflow)\//,
    mustContain: 'id="cf-connections-heading"',
  },
  details: {
    path: "/connections/aws/conn_prerender",
    held: /\/(auth|iam|billing|cloudflow)\//,
    mustContain: 'id="cf-details-heading"',
  },
};
