// Response headers for every page (helmet), with a CSP that allows only the app's own files.
import helmet from 'helmet';

export function securityHeaders(production: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: production ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
}

/** A request path fit for a log line: no query string, and the token of a reset link replaced. */
export function loggablePath(url: string): string {
  return url.split('?')[0].replace(/^(\/password\/reset\/)[^/]+/i, '$1[redacted]');
}
