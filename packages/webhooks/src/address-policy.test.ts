import { isPublicAddress } from './address-policy.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.64.0.1', // carrier-grade NAT
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00:ec2::254', // AWS metadata over IPv6
    '::ffff:127.0.0.1', // IPv4-mapped loopback
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '::127.0.0.1',
    '::7f00:1',
    '::a00:1', // 10.0.0.1
    '::a9fe:a9fe', // 169.254.169.254
    '::8.8.8.8', // even a public IPv4 inside: the whole range is deprecated
    '::808:808',
    '0:0:0:0:0:0:0a00:0001',
  ])('refuses the IPv4-compatible address %s (::/96)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ['2002:a00:1::', '6to4 of 10.0.0.1'],
    ['2002:808:808::', '6to4 of a public address: relays are refused whole'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['64:ff9b:1::a00:1', 'local-use NAT64 (RFC 8215)'],
    ['100::1', 'discard'],
    ['fec0::1', 'deprecated site-local'],
    ['2001:db8::1', 'documentation'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34', '64:ff9b::808:808'])(
    'allows %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});
