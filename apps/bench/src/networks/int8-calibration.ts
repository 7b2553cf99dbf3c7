import { randomUniform, type HostTensor } from '@sepconv/tensor';

/** How many seeded random inputs calibrate a case's int8 network (a handful gives usable ranges; these are random weights). */
export const CALIBRATION_INPUTS = 4;

/** Calibration seeds start here, away from the timed input's seed (the run's seed + 1), so the int8 model is not calibrated on what it is timed on. */
const CALIBRATION_SEED = 1000;

/** The calibration batches of a case's int8 network: {@link CALIBRATION_INPUTS} seeded uniform inputs in [-1, 1], the timed input's shape and range. */
export function calibrationInputs(input: HostTensor): HostTensor[] {
  return Array.from({ length: CALIBRATION_INPUTS }, (_, i) => randomUniform(input.shape, CALIBRATION_SEED + i, -1, 1));
}
