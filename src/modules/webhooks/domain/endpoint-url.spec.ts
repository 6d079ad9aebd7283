import { urlProblems } from './endpoint-url.js';

const strict = { requireHttps: true, allowPrivateTargets: false };
const lax = { requireHttps: false, allowPrivateTargets: true };

describe('endpoint URL rules', () => {
  it('accepts a public https URL', () => {
    expect(urlProblems('https://hooks.example.com/in?x=1', strict)).toEqual([]);
  });

  it.each([
    ['http://hooks.example.com/in', 'url must use https'],
    ['https://user:pass@hooks.example.com/in', 'url must not carry credentials (user:password@)'],
    ['https://user@hooks.example.com/in', 'url must not carry credentials (user:password@)'],
    ['ftp://hooks.example.com/in', 'url must be an http or https URL'],
    ['not a url', 'url must be an absolute http(s) URL'],
    ['https://127.0.0.1/in', expect.stringMatching(/loopback, private/)],
    ['https://[::7f00:1]/in', expect.stringMatching(/loopback, private/)],
    ['https://[::ffff:10.0.0.1]/in', expect.stringMatching(/loopback, private/)],
    ['https://169.254.169.254/latest', expect.stringMatching(/loopback, private/)],
    ['https://localhost/in', expect.stringMatching(/loopback, private/)],
    ['https://api.localhost/in', expect.stringMatching(/loopback, private/)],
    ['https://printer.local/in', expect.stringMatching(/loopback, private/)],
  ])('refuses %s', (url, problem) => {
    expect(urlProblems(url, strict)).toEqual([problem]);
  });

  it('lets http and private targets through when the settings allow them, but never credentials', () => {
    expect(urlProblems('http://127.0.0.1:8080/hook', lax)).toEqual([]);
    expect(urlProblems('http://localhost:8080/hook', lax)).toEqual([]);
    expect(urlProblems('http://a:b@127.0.0.1:8080/hook', lax)).toHaveLength(1);
  });
});
