import { hostPort, parseIpAddress } from '../../src/edge/addresses';
import { errorOf } from '../util';

describe('parseIpAddress', () => {
  test.each([
    ['203.0.113.10', '203.0.113.10', 4],
    [' 198.51.100.7 ', '198.51.100.7', 4],
    ['127.0.0.2', '127.0.0.2', 4],
    ['10.1.2.3', '10.1.2.3', 4],
    ['2001:db8::10', '2001:db8::10', 6],
    ['2001:DB8:0:0:0:0:0:10', '2001:db8::10', 6],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1', 6],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 6],
    ['2001:db8::', '2001:db8::', 6],
    ['::1', '::1', 6],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221', 6],
  ])('%j is accepted as %j (IPv%d)', (input, text, family) => {
    expect(parseIpAddress(input, 'address')).toEqual({ text, family });
  });

  test('two spellings of one IPv6 address are the same address', () => {
    expect(parseIpAddress('2001:DB8::A', 'a').text).toBe(parseIpAddress('2001:db8:0:0::000a', 'b').text);
  });

  test.each([
    ['red.example.com', 'expected an IPv4 or IPv6 address'],
    ['', 'expected an IPv4 or IPv6 address'],
    ['256.1.1.1', 'expected an IPv4 or IPv6 address'],
    ['01.2.3.4', 'expected an IPv4 or IPv6 address'],
    ['1.2.3', 'expected an IPv4 or IPv6 address'],
    ['203.0.113.10:443', 'without a port'],
    ['203.0.113.0/24', 'it is a network'],
    ['[2001:db8::1]', 'without brackets'],
    ['fe80::1%eth0', 'zone index'],
    ['0.0.0.0', '0.0.0.0/8'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:203.0.113.10', 'give the IPv4 address itself'],
  ])('%j is refused (%s)', (input, why) => {
    const message = errorOf(() => parseIpAddress(input, 'entry address of "red.example.com"'));
    expect(message).toContain(`entry address of "red.example.com" ${JSON.stringify(input)} is not valid`);
    expect(message).toContain(why);
  });

  test('a non-string is refused', () => {
    expect(errorOf(() => parseIpAddress(42, 'backendAddress'))).toBe(
      'backendAddress 42 is not valid: expected an IPv4 or IPv6 address such as "203.0.113.10" or "2001:db8::10"',
    );
  });

  test('hostPort brackets IPv6 addresses only', () => {
    expect(hostPort(parseIpAddress('198.51.100.1', 'a'), 443)).toBe('198.51.100.1:443');
    expect(hostPort(parseIpAddress('2001:db8::1', 'a'), 443)).toBe('[2001:db8::1]:443');
  });
});
