import {
  decodeConfigureReporting,
  decodeReadRequest,
  decodeReadResponse,
  decodeReport,
  decodeZclFrame,
  encodeReadResponse,
  encodeReport,
  encodeZclFrame,
  ZclDecodeError,
  ZclType,
} from '../../../src-main/zigbee/emulator/zcl-codec';
import { encodeFrame, MAX_DATA, MtSubsystem, MtType, UnpiParser, type MtFrame } from '../../../src-main/zigbee/emulator/unpi';
import { ContractViolation, type FuzzFamily } from '../family';

function unpiSeeds(): Buffer[] {
  const frames: MtFrame[] = [
    { type: MtType.SREQ, subsystem: MtSubsystem.SYS, command: 0x02, data: Buffer.alloc(0) },
    { type: MtType.SRSP, subsystem: MtSubsystem.SYS, command: 0x02, data: Buffer.from([0x02, 0x00, 0x02, 0x06, 0x03]) },
    { type: MtType.AREQ, subsystem: MtSubsystem.AF, command: 0x81, data: Buffer.alloc(40, 0x11) },
    { type: MtType.SREQ, subsystem: MtSubsystem.SYS, command: 0x1c, data: Buffer.from([0x3a, 0x00, 0x00, 0x00]) },
    { type: MtType.AREQ, subsystem: MtSubsystem.ZDO, command: 0xc0, data: Buffer.from([0x09]) },
  ];
  const one = frames.map(encodeFrame);
  return [...one, Buffer.concat(one), Buffer.concat([Buffer.from([0x00, 0xfe, 0x03]), one[1]!, one[2]!])];
}

/**
 * The UNPI/MT parser: the input arrives in random-sized chunks (as serial reads do) and the reader reuses its
 * buffer, overwriting each chunk after the push, as serialport's bindings may. Every emitted frame must be one
 * the encoder would produce (data ≤ 250 bytes, FCS right), whatever happened to the caller's buffer.
 */
export const unpi: FuzzFamily = {
  name: 'unpi',
  description: 'Z-Stack UNPI/MT framing from a serial stream, in random chunks from a reused buffer',
  seeds: unpiSeeds,
  maxLength: 2048,
  run(input) {
    const frames: MtFrame[] = [];
    const parser = new UnpiParser({ frame: (frame) => frames.push(frame), garbage: () => undefined });
    const reused = Buffer.alloc(64);
    let offset = 0;
    let step = 1 + (input.length % 17);
    while (offset < input.length) {
      const size = Math.min(step, input.length - offset, reused.length);
      input.copy(reused, 0, offset, offset + size);
      parser.push(reused.subarray(0, size));
      reused.fill(0xa5);
      offset += size;
      step = 1 + ((step * 7 + offset) % 31);
    }
    for (const frame of frames) {
      if (frame.data.length > MAX_DATA) throw new ContractViolation(`frame with ${frame.data.length} data bytes (the encoder refuses over ${MAX_DATA})`);
      if (!input.includes(encodeFrame(frame))) throw new ContractViolation('a frame that is not in the input (the caller’s reused buffer leaked into it)');
    }
  },
};

function zclSeeds(): Buffer[] {
  const read = encodeReadResponse([
    { attrId: 0x0000, status: 0, type: ZclType.UINT48, value: 123456 },
    { attrId: 0x0300, status: 0, type: ZclType.ENUM8, value: 0 },
    { attrId: 0x0301, status: 0x86 },
  ]);
  const report = encodeReport([{ attrId: 0x0400, type: ZclType.INT24, value: -1200 }]);
  return [
    encodeZclFrame({ frameType: 0, direction: 1, disableDefaultResponse: true, tsn: 7, commandId: 0x01 }, read),
    encodeZclFrame({ frameType: 0, direction: 1, disableDefaultResponse: true, tsn: 8, commandId: 0x0a }, report),
    encodeZclFrame({ frameType: 0, direction: 0, disableDefaultResponse: false, tsn: 9, commandId: 0x00 }, Buffer.from([0x00, 0x00, 0x00, 0x03])),
    encodeZclFrame(
      { frameType: 0, direction: 0, disableDefaultResponse: false, tsn: 10, commandId: 0x06 },
      Buffer.from([0x00, 0x00, 0x04, 0x2a, 0x01, 0x00, 0x2c, 0x01, 0x01, 0x00, 0x00]),
    ),
  ];
}

/** ZCL frames and the global commands' payloads: a malformed one is a ZclDecodeError, never a TypeError. */
export const zcl: FuzzFamily = {
  name: 'zcl',
  description: 'ZCL frame header and global command payloads (read, read response, report, configure reporting)',
  seeds: zclSeeds,
  maxLength: 256,
  run(input) {
    const frame = decodeZclFrame(input);
    const payload = frame.payload;
    switch (frame.header.commandId) {
      case 0x00:
        decodeReadRequest(payload);
        break;
      case 0x01:
        decodeReadResponse(payload);
        break;
      case 0x06:
        decodeConfigureReporting(payload);
        break;
      default:
        decodeReport(payload);
    }
  },
  expected: (error) => error instanceof ZclDecodeError,
};
