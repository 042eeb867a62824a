import { z } from 'zod';
import { identityTransform } from './device-identity';
import { eui64Schema } from './eui64';
import { addressSchema, appointmentSchema, DEVICE_TYPES, deviceLabelSchema, mpanSchema, mprnSchema, type DeviceInput, type PremisesInput } from './job';

/**
 * Work order import format (documented in docs/work-order.md): what a supplier or MOP back office sends
 * for one visit. Importing one creates a job whose devices start as "expected".
 */

export const WORK_ORDER_FORMAT = 'han-commissioner.work-order';

export const workOrderSchema = z
  .object({
    format: z.literal(WORK_ORDER_FORMAT, { message: `format must be "${WORK_ORDER_FORMAT}"` }),
    version: z.literal(1, { message: 'version must be 1' }),
    /** The back office's reference for the visit. */
    reference: z.string().trim().min(1).max(100),
    appointment: appointmentSchema,
    engineer: z.string().trim().min(1).max(100).optional(),
    premises: z
      .object({
        address: addressSchema,
        mpan: mpanSchema.optional(),
        mprn: mprnSchema.optional(),
        accessNotes: z.string().max(4000).optional(),
      })
      .strict()
      .refine((p) => p.mpan !== undefined || p.mprn !== undefined, { message: 'a work order needs an MPAN, an MPRN or both' }),
    devices: z
      .array(
        z
          .object({
            type: z.enum(DEVICE_TYPES),
            eui64: eui64Schema.optional(),
            // A label ("Z:<EUI>$I:<code>") names its EUI-64: it is read from there and must agree with eui64.
            installCode: z.string().max(300).optional(),
            label: deviceLabelSchema.optional(),
          })
          .strict()
          .transform(identityTransform(() => false)),
      )
      .max(64)
      .default([]),
  })
  .strict();

export type WorkOrder = z.output<typeof workOrderSchema>;
export type WorkOrderInput = z.input<typeof workOrderSchema>;

/** The job a work order creates: premises, expected devices and the reference. */
export function workOrderToJob(order: WorkOrder): { premises: PremisesInput; devices: DeviceInput[]; workOrderReference: string } {
  const { address, mpan, mprn, accessNotes } = order.premises;
  return {
    premises: {
      address,
      appointment: order.appointment,
      ...(mpan !== undefined ? { mpan } : {}),
      ...(mprn !== undefined ? { mprn } : {}),
      ...(accessNotes !== undefined ? { notes: accessNotes } : {}),
      ...(order.engineer !== undefined ? { engineer: order.engineer } : {}),
    },
    devices: order.devices.map((d) => ({ ...d, status: 'expected' as const })),
    workOrderReference: order.reference,
  };
}
