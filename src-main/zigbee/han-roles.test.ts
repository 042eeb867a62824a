import { describe, expect, it } from 'vitest';
import { DongleRoles } from './han-roles';

describe('DongleRoles', () => {
  it('lets one role hold a dongle and refuses the other until it is released', () => {
    const roles = new DongleRoles();
    const release = roles.claim('/dev/ttyUSB0', 'coordinator');
    expect(roles.roleOf('/dev/ttyUSB0')).toBe('coordinator');
    expect(() => roles.claim('/dev/ttyUSB0', 'survey')).toThrow(/coordinator role/);
    expect(() => roles.claim('/dev/ttyUSB0', 'coordinator')).toThrow(/already in use/);
    release();
    expect(roles.claim('/dev/ttyUSB0', 'survey')).toBeTypeOf('function');
    expect(roles.roleOf('/dev/ttyUSB0')).toBe('survey');
  });
});
