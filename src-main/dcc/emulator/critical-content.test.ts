import { describe, expect, it } from 'vitest';
import { readFrame } from '../gbcs/framing';
import { rtdsMessage } from '../gbcs/rtds-corpus';
import { cs03a1Command, cs03a1Response, ecs70Command, ecs70Response, gcs28Command, gcs28Response } from './critical-content';

const content = (name: string): string => Buffer.from(readFrame(rtdsMessage(name)).content).toString('hex');
const hex = (bytes: Buffer): string => bytes.toString('hex');
const at = (iso: string): number => Date.parse(iso);

describe("the simulator's critical command content is byte for byte the RTDS 4.5.0 messages for the same inputs", () => {
  it('ECS70 (8.1.1 ESME): pre-command content and response content', () => {
    expect(hex(ecs70Command(1000n, at('2014-12-31T23:59:10Z'), at('2015-01-01T00:00:10Z')))).toBe(content('ECS70Commission_8.1.1_SUCCESS_PRECOMMAND_GBCS.HEX'));
    expect(hex(ecs70Response(1000n, at('2015-01-01T00:00:00Z')))).toBe(content('ECS70Commission_8.1.1_SUCCESS_RESPONSE_GBCS.HEX'));
  });

  it('GCS28 (8.1.1 GSME): pre-command content and response content', () => {
    expect(hex(gcs28Command(at('2014-12-31T23:30:00Z'), at('2015-01-01T00:30:00Z')))).toBe(content('GCS28Commission_8.1.1_SUCCESS_PRECOMMAND_GBCS.HEX'));
    expect(hex(gcs28Response(at('2014-12-31T23:30:00Z')))).toBe(content('GCS28Commission_8.1.1_SUCCESS_RESPONSE_GBCS.HEX'));
  });

  it('CS03A1 (8.7.1 Method A): pre-command content, success and error responses', () => {
    expect(hex(cs03a1Command('00DB12345678909A', 4))).toBe(content('CS03A1_8.7.1_SUCCESS_PRECOMMAND_GBCS.HEX'));
    expect(hex(cs03a1Response(0))).toBe(content('CS03A1_8.7.1_SUCCESS_RESPONSE_GBCS.HEX'));
    expect(hex(cs03a1Response(3))).toBe(content('CS03A1_8.7.1_ERROR_RESPONSE_GBCS.HEX'));
  });
});
