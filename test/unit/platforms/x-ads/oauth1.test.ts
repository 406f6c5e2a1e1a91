/**
 * OAuth 1.0a signing against published test vectors. Sources:
 * - X/Twitter docs "Creating a signature" (docs.x.com/fundamentals/authentication/oauth-1-0a/creating-a-signature,
 *   formerly developer.twitter.com/en/docs/authentication/oauth-1-0a/creating-a-signature): the POST
 *   statuses/update example, its parameter string, base string, signing key and signature `hCtSmYh+iHYCEqBWrE7C7hYmtUk=`
 *   (base URL https://api.twitter.com/1.1/statuses/update.json). The "Authorizing a request" header on the same
 *   site shows `tnnArxj06cWHq44gCs1OSKk/jLY=`: the value of the original 2011 page, whose base URL was
 *   https://api.twitter.com/1/statuses/update.json (dev.twitter.com/docs/auth/creating-signature).
 * - dev.twitter.com/docs/auth/oauth (the request_token / access_token walkthrough, kept as test vectors in
 *   request/oauth-sign's test.js): `8wUi7m5HFQy76nowoCThusfgB+Q=` and `PUw/dHA4fnlJYM6RhXk5IU/0fCc=`.
 * - OAuth Core 1.0 Appendix A.5 (photos.example.net): `tR3+Ty81lMeYAr/Fid0kMTYa/WM=`.
 * Tolerance: none, signatures are compared byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  baseStringUri,
  hmacSha1Signature,
  type OAuth1Credentials,
  parameterString,
  parseAuthorizationHeader,
  percentEncode,
  signatureBaseString,
  signingKey,
  signRequest,
  verifyRequest,
} from '../../../../lib/platforms/x-ads/oauth1.ts';

const DOCS: OAuth1Credentials = {
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  accessToken: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  accessTokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};
const DOCS_STAMP = { nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', timestamp: 1318622958 };
const STATUS = 'Hello Ladies + Gentlemen, a signed OAuth request!';

function docsRequest(base: string) {
  return { method: 'POST', url: new URL(`${base}?include_entities=true`), bodyParams: [['status', STATUS]] as const };
}

describe('percentEncode (RFC 3986)', () => {
  it.each([
    ['Ladies + Gentlemen', 'Ladies%20%2B%20Gentlemen'],
    ['An encoded string!', 'An%20encoded%20string%21'],
    ['Dogs, Cats & Mice', 'Dogs%2C%20Cats%20%26%20Mice'],
    ['☃', '%E2%98%83'],
    ['2026-05-19T07:00:00Z', '2026-05-19T07%3A00%3A00Z'],
    ['8u94t,9cqi0', '8u94t%2C9cqi0'],
    ["-._~*'()", '-._~%2A%27%28%29'],
  ])('%s → %s', (raw, encoded) => {
    expect(percentEncode(raw)).toBe(encoded);
  });
});

describe('the docs example "Creating a signature"', () => {
  const params = [
    ['status', STATUS],
    ['include_entities', 'true'],
    ['oauth_consumer_key', DOCS.consumerKey],
    ['oauth_nonce', DOCS_STAMP.nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1318622958'],
    ['oauth_token', DOCS.accessToken],
    ['oauth_version', '1.0'],
  ] as const;

  it('builds the published parameter string, base string and signing key', () => {
    expect(parameterString(params)).toBe(
      'include_entities=true&oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog&oauth_nonce=kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg' +
        '&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1318622958&oauth_token=370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb' +
        '&oauth_version=1.0&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
    );
    expect(signatureBaseString('post', 'https://api.twitter.com/1.1/statuses/update.json', params)).toBe(
      'POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog' +
        '%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958' +
        '%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B' +
        '%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521',
    );
    expect(signingKey(DOCS.consumerSecret, DOCS.accessTokenSecret)).toBe(
      'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    );
  });

  it('signs the /1.1/ request as published: hCtSmYh+iHYCEqBWrE7C7hYmtUk=', () => {
    expect(signRequest(docsRequest('https://api.twitter.com/1.1/statuses/update.json'), DOCS, DOCS_STAMP)).toBe(
      'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
    );
  });

  it('gives the header of "Authorizing a request" for the original /1/ URL', () => {
    expect(authorizationHeader(docsRequest('https://api.twitter.com/1/statuses/update.json'), DOCS, DOCS_STAMP)).toBe(
      'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", ' +
        'oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjLY%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", ' +
        'oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"',
    );
  });
});

describe('other published vectors', () => {
  it('OAuth Core 1.0 Appendix A.5: GET photos with a query', () => {
    const credentials = {
      consumerKey: 'dpf43f3p2l4k3l03',
      consumerSecret: 'kd94hf93k423kf44',
      accessToken: 'nnch734d00sl2jdk',
      accessTokenSecret: 'pfkkdhi9sl3r4s00',
    };
    const request = { method: 'GET', url: new URL('http://photos.example.net/photos?file=vacation.jpg&size=original') };
    expect(signRequest(request, credentials, { nonce: 'kllo9940pd9333jh', timestamp: 1191242096 })).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });

  it('dev.twitter.com/docs/auth/oauth: request_token (no token secret) and access_token', () => {
    const requestToken = [
      ['oauth_callback', 'http://localhost:3005/the_dance/process_callback?service_provider_id=11'],
      ['oauth_consumer_key', 'GDdmIQH6jhtmLUypg82g'],
      ['oauth_nonce', 'QP70eNmVz8jvdPevU3oJD2AfF7R7odC2XJcn4XlZJqk'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1272323042'],
      ['oauth_version', '1.0'],
    ] as const;
    const key = 'MCD8BKwGdgPHvAuvgvz4EQpqDAtx89grbuNMRd7Eh98';
    expect(
      hmacSha1Signature(signatureBaseString('POST', 'https://api.twitter.com/oauth/request_token', requestToken), signingKey(key, '')),
    ).toBe('8wUi7m5HFQy76nowoCThusfgB+Q=');
    const accessToken = [
      ['oauth_consumer_key', 'GDdmIQH6jhtmLUypg82g'],
      ['oauth_nonce', '9zWH6qe0qG7Lc1telCn7FhUbLyVdjEaL3MO5uHxn8'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_token', '8ldIZyxQeVrFZXFOZH5tAwj6vzJYuLQpl0WUEYtWc'],
      ['oauth_timestamp', '1272323047'],
      ['oauth_verifier', 'pDNg57prOHapMbhv25RNf75lVRd6JDsni1AJJIDYoTY'],
      ['oauth_version', '1.0'],
    ] as const;
    expect(
      hmacSha1Signature(
        signatureBaseString('POST', 'https://api.twitter.com/oauth/access_token', accessToken),
        signingKey(key, 'x6qpRnlEmW9JbQn4PQVVeVG8ZLPEx6A0TOebgwcuA'),
      ),
    ).toBe('PUw/dHA4fnlJYM6RhXk5IU/0fCc=');
  });

  it('the base string URI drops the default port and the query, and lower-cases the host', () => {
    expect(baseStringUri(new URL('HTTPS://Ads-API.X.com:443/12/accounts?count=5#x'))).toBe('https://ads-api.x.com/12/accounts');
    expect(baseStringUri(new URL('http://127.0.0.1:54321/12/accounts'))).toBe('http://127.0.0.1:54321/12/accounts');
  });
});

describe('X Ads requests', () => {
  const credentials: OAuth1Credentials = { consumerKey: 'ck', consumerSecret: 'c&s', accessToken: 'at', accessTokenSecret: 'a t s' };
  const stamp = { nonce: 'n0nce', timestamp: 1_780_000_000 };

  it('encodes `:` and `,` of times and id lists in the base string', () => {
    const url = new URL('https://ads-api.x.com/12/stats/accounts/18ce54d4x5t');
    url.search = 'entity_ids=8u94t%2C9cqi0&start_time=2026-05-19T07%3A00%3A00Z';
    const params = [...url.searchParams.entries()];
    expect(params).toEqual([
      ['entity_ids', '8u94t,9cqi0'],
      ['start_time', '2026-05-19T07:00:00Z'],
    ]);
    expect(signatureBaseString('GET', baseStringUri(url), params)).toBe(
      'GET&https%3A%2F%2Fads-api.x.com%2F12%2Fstats%2Faccounts%2F18ce54d4x5t&entity_ids%3D8u94t%252C9cqi0%26start_time%3D2026-05-19T07%253A00%253A00Z',
    );
  });

  it('verifyRequest accepts what authorizationHeader signs and refuses any change', () => {
    const secrets = (key: string, token: string) =>
      key === 'ck' && token === 'at' ? { consumerSecret: 'c&s', tokenSecret: 'a t s' } : undefined;
    const request = {
      method: 'PUT',
      url: new URL('https://ads-api.x.com/12/accounts/a1/campaigns/c1?daily_budget_amount_local_micro=140000000'),
    };
    const header = authorizationHeader(request, credentials, stamp);
    expect(verifyRequest(request, header, secrets)).toEqual({
      ok: true,
      consumerKey: 'ck',
      token: 'at',
      timestamp: stamp.timestamp,
      nonce: 'n0nce',
    });
    const tampered = {
      ...request,
      url: new URL('https://ads-api.x.com/12/accounts/a1/campaigns/c1?daily_budget_amount_local_micro=990000000'),
    };
    expect(verifyRequest(tampered, header, secrets)).toEqual({ ok: false, reason: 'the signature does not match' });
    expect(verifyRequest({ ...request, method: 'GET' }, header, secrets)).toEqual({ ok: false, reason: 'the signature does not match' });
    const wrongSecret = authorizationHeader(request, { ...credentials, accessTokenSecret: 'other' }, stamp);
    expect(verifyRequest(request, wrongSecret, secrets)).toEqual({ ok: false, reason: 'the signature does not match' });
    expect(verifyRequest(request, undefined, secrets)).toEqual({ ok: false, reason: 'no Authorization header' });
    expect(verifyRequest(request, 'Bearer abc', secrets)).toEqual({ ok: false, reason: 'the Authorization header is not an OAuth header' });
    const otherKey = authorizationHeader(request, { ...credentials, consumerKey: 'ck2' }, stamp);
    expect(verifyRequest(request, otherKey, secrets)).toEqual({ ok: false, reason: 'unknown consumer key or token' });
  });

  it('parseAuthorizationHeader refuses repeated keys', () => {
    expect(parseAuthorizationHeader('OAuth a="1", a="2"')).toBeUndefined();
    expect(parseAuthorizationHeader('OAuth a="1%2C2", b="x"')).toEqual(
      new Map([
        ['a', '1,2'],
        ['b', 'x'],
      ]),
    );
  });

  it('property: any query and secrets sign and verify; a changed value does not', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^[a-z_]{1,8}$/), text), { maxLength: 6 }), text, text, (pairs, cs, ts) => {
        const url = new URL('https://ads-api.x.com/12/x');
        url.search = pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
        const creds = { consumerKey: 'k', consumerSecret: cs, accessToken: 't', accessTokenSecret: ts };
        const request = { method: 'GET', url };
        const header = authorizationHeader(request, creds, stamp);
        const secrets = () => ({ consumerSecret: cs, tokenSecret: ts });
        expect(verifyRequest(request, header, secrets).ok).toBe(true);
        const changed = new URL(url);
        changed.searchParams.append('extra', 'v');
        expect(verifyRequest({ method: 'GET', url: changed }, header, secrets).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
