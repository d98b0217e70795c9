import { describe, expect, it } from 'vitest';
import { shownUrl } from './shown-url.js';

describe('shownUrl', () => {
  it('keeps scheme, host and path, and leaves out a query and userinfo', () => {
    expect(shownUrl('https://api.example.com/health')).toBe('https://api.example.com/health');
    expect(shownUrl('https://ops:pa55@api.example.com:8443/health?token=Zm9v+YmFy&x=1#top')).toBe(
      'https://api.example.com:8443/health?…',
    );
    expect(shownUrl('not a url')).toBe('(an unreadable URL)');
  });
});
