/**
 * The live demo's worker script: the worker mode's three lines (see @sepconv/mobilenet's
 * README, "In a Web Worker"). It offers both backends; the page names one per model.
 */
import { createCpuBackend } from '@sepconv/cpu';
import { serveModelWorker } from '@sepconv/mobilenet';
import { createWebGpuBackend } from '@sepconv/webgpu';

serveModelWorker({ cpu: createCpuBackend, webgpu: createWebGpuBackend });
