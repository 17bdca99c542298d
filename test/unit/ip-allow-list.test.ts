/** Source-address allow-list: the IpAllowList class and the nodes' 403 answers. */
import { IpAllowList, parseAddress, splitEntries } from '../../nodes/shared/ipAllowList';
import { sample } from '../helpers/fixtures';
import { expectNotStarted, expectOneDocument, send } from '../helpers/unit';

function listOf(...entries: string[]): IpAllowList {
	const parsed = IpAllowList.parse(entries);
	if ('invalid' in parsed) throw new Error(`invalid entries: ${parsed.invalid.join(', ')}`);
	return parsed.list;
}

describe('IpAllowList', () => {
	test('exact IPv4 address: itself and its IPv4-mapped IPv6 forms only', () => {
		const list = listOf('193.43.40.153');
		for (const address of [
			'193.43.40.153',
			'::ffff:193.43.40.153',
			'::FFFF:193.43.40.153',
			'0:0:0:0:0:ffff:c12b:2899',
			' 193.43.40.153 ',
		]) {
			expect(list.allows(address)).toBe(true);
		}
		for (const address of [
			'193.43.40.1530',
			'193.43.40.15',
			'10.193.43.40.153',
			'193.43.40.153.1',
			'1193.43.40.153',
			'193.43.40.152',
			'::193.43.40.153',
			'::ffff:193.43.40.154',
			'64:ff9b::193.43.40.153',
			'193.43.40.153/32',
			'193.043.040.153x',
			'',
			'localhost',
		]) {
			expect(list.allows(address)).toBe(false);
		}
		expect(list.allows(undefined)).toBe(false);
	});

	test('IPv4 CIDR ranges', () => {
		const list = listOf('10.0.0.0/8', '192.168.1.0/24', '172.16.5.4/31');
		expect(list.allows('10.255.255.255')).toBe(true);
		expect(list.allows('::ffff:10.1.2.3')).toBe(true);
		expect(list.allows('11.0.0.0')).toBe(false);
		expect(list.allows('192.168.1.200')).toBe(true);
		expect(list.allows('192.168.2.1')).toBe(false);
		expect(list.allows('172.16.5.4')).toBe(true);
		expect(list.allows('172.16.5.5')).toBe(true);
		expect(list.allows('172.16.5.6')).toBe(false);
	});

	test('a range written with host bits set still means the network', () => {
		expect(listOf('10.1.2.3/8').allows('10.200.0.1')).toBe(true);
	});

	test('/0 allows every IPv4 address, /32 exactly one', () => {
		expect(listOf('0.0.0.0/0').allows('8.8.8.8')).toBe(true);
		expect(listOf('0.0.0.0/0').allows('2001:db8::1')).toBe(false);
		expect(listOf('8.8.8.8/32').allows('8.8.8.9')).toBe(false);
	});

	test('IPv6 addresses and ranges', () => {
		const list = listOf('2001:db8::/32', 'fe80::1', '::1');
		expect(list.allows('2001:db8:ffff::1')).toBe(true);
		expect(list.allows('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe(true);
		expect(list.allows('2001:db9::1')).toBe(false);
		expect(list.allows('fe80::1')).toBe(true);
		expect(list.allows('fe80::1%eth0')).toBe(true);
		expect(list.allows('fe80::2')).toBe(false);
		expect(list.allows('::1')).toBe(true);
		expect(list.allows('127.0.0.1')).toBe(false);
	});

	test('an IPv6 range covering the IPv4-mapped space allows IPv4 addresses', () => {
		expect(listOf('::ffff:0:0/96').allows('1.2.3.4')).toBe(true);
		expect(listOf('::ffff:10.0.0.0/104').allows('10.9.9.9')).toBe(true);
		expect(listOf('::ffff:10.0.0.0/104').allows('11.9.9.9')).toBe(false);
	});

	test('invalid entries are reported, not ignored', () => {
		for (const entry of [
			'193.43.40.999',
			'10.0.0.0/33',
			'2001:db8::/129',
			'1.2.3',
			'example.com',
			'1.2.3.4/8/1',
			'1.2.3.4/-1',
			':::1',
			'1::2::3',
		]) {
			expect(IpAllowList.parse([entry])).toEqual({ invalid: [entry] });
		}
		expect(IpAllowList.parse(['10.0.0.1', 'bad', ' ', 'worse'])).toEqual({
			invalid: ['bad', 'worse'],
		});
	});

	test('an empty list is empty', () => {
		const parsed = IpAllowList.parse(['', '  ']);
		expect('list' in parsed && parsed.list.isEmpty).toBe(true);
		expect(listOf('1.2.3.4').isEmpty).toBe(false);
	});

	test('splitEntries accepts commas, semicolons, spaces and new lines', () => {
		expect(splitEntries('1.1.1.1, 2.2.2.2;3.3.3.3\n4.4.4.0/24  ::1')).toEqual([
			'1.1.1.1',
			'2.2.2.2',
			'3.3.3.3',
			'4.4.4.0/24',
			'::1',
		]);
		expect(splitEntries('')).toEqual([]);
	});

	test('parseAddress', () => {
		expect(parseAddress('1.2.3.4')).toEqual({
			value: (BigInt(0xffff) << BigInt(32)) | BigInt(0x01020304),
			isIPv4: true,
		});
		expect(parseAddress('::')).toEqual({ value: BigInt(0), isIPv4: false });
		expect(parseAddress('1:2:3:4:5:6:7:8:9')).toBeNull();
		expect(parseAddress('12345::')).toBeNull();
	});
});

describe('nodes: allowed IPs and iLink presets', () => {
	const iLinkBody = () => sample('ilink-new-document');

	test.each(['193.43.40.153', '::ffff:193.43.40.153'])(
		'iLink preset ilinkProduction allows %s',
		async (ip) => {
			expectOneDocument(
				await send('iLinkNewDocument', iLinkBody(), {
					options: { ipPresets: ['ilinkProduction'] },
					ip,
				}),
			);
		},
	);

	test.each([
		'193.43.40.1530',
		'10.193.43.40.153',
		'193.43.40.15',
		'62.28.56.162',
		'194.38.136.153', // retired: struck through on iLink's current security page
		'127.0.0.1',
		'::1',
		'',
	])('iLink preset ilinkProduction refuses %j with 403', async (ip) => {
		expectNotStarted(
			await send('iLinkNewDocument', iLinkBody(), {
				options: { ipPresets: ['ilinkProduction'] },
				ip,
			}),
			403,
		);
	});

	test('the test preset allows the iLink QA address', async () => {
		expectOneDocument(
			await send('iLinkStatusChange', sample('ilink-status-change-sent'), {
				options: { ipPresets: ['ilinkTest'] },
				ip: '62.28.56.162',
			}),
		);
		expectNotStarted(
			await send('iLinkStatusChange', sample('ilink-status-change-sent'), {
				options: { ipPresets: ['ilinkTest'] },
				ip: '193.43.40.153',
			}),
			403,
		);
	});

	test('presets and allowed IPs combine', async () => {
		const options = { ipPresets: ['ilinkProduction'], allowedIps: '10.0.0.0/8' };
		expectOneDocument(await send('iLinkNewDocument', iLinkBody(), { options, ip: '10.1.1.1' }));
		expectOneDocument(
			await send('iLinkNewDocument', iLinkBody(), { options, ip: '193.43.40.153' }),
		);
		expectNotStarted(await send('iLinkNewDocument', iLinkBody(), { options, ip: '11.1.1.1' }), 403);
	});

	test('InvoiCy: IPv6 CIDR in allowed IPs', async () => {
		const options = { allowedIps: '2001:db8:abcd::/48, 203.0.113.7' };
		const body = sample('invoicy-nfse-authorized');
		expectOneDocument(await send('invoiCyNfse', body, { options, ip: '2001:db8:abcd:12::5' }));
		expectOneDocument(await send('invoiCyNfse', body, { options, ip: '::ffff:203.0.113.7' }));
		expectNotStarted(await send('invoiCyNfse', body, { options, ip: '2001:db8:abce::5' }), 403);
	});

	test('an empty allow-list allows any address', async () => {
		expectOneDocument(
			await send('invoiCyNfse', sample('invoicy-nfse-authorized'), {
				options: { allowedIps: ' ' },
				ip: '8.8.8.8',
			}),
		);
	});

	test('a 403 logs the refused address at warn level and never starts, even with the right credential', async () => {
		const result = await send('iLinkNewDocument', iLinkBody(), {
			options: { allowedIps: '10.0.0.1' },
			ip: '10.0.0.2',
		});
		expectNotStarted(result, 403);
		const warning = result.logs.find((line) => line.level === 'warn');
		expect(warning?.message).toContain('403');
		expect(warning?.meta?.sourceAddress).toBe('10.0.0.2');
	});
});
