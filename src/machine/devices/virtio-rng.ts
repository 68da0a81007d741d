// virtio entropy device (VIRTIO 1.2, "Entropy Device"; DeviceID 4): one request queue
// whose device-writable buffers it fills from the host's CSPRNG. No features, no
// configuration space.
import type { AccessSize } from '../bus.js';
import type { VirtioDevice } from './virtio-mmio.js';
import type { DescriptorChain, SplitVirtqueue } from './virtio-queue.js';

export const VIRTIO_RNG_DEVICE_ID = 4;
export const VIRTIO_RNG_QUEUE_SIZE = 64;
/** crypto.getRandomValues refuses more than 65536 bytes per call. */
const RANDOM_CHUNK_BYTES = 65536;

/** Where random bytes come from; crypto.getRandomValues by default (Node 20 and browsers). */
export type RandomSource = (into: Uint8Array) => void;

export class VirtioRng implements VirtioDevice {
  readonly name = 'rng';
  readonly deviceId = VIRTIO_RNG_DEVICE_ID;
  readonly features = 0n;
  readonly queueSizes = [VIRTIO_RNG_QUEUE_SIZE];

  constructor(private readonly random: RandomSource = (into) => { globalThis.crypto.getRandomValues(into); }) {}

  readConfig(_offset: number, _size: AccessSize): bigint {
    return 0n;
  }

  writeConfig(): void {}

  reset(): void {}

  processQueue(_index: number, queue: SplitVirtqueue): void {
    for (let chain = queue.pop(); chain !== null; chain = queue.pop()) {
      queue.push(chain, this.fill(chain));
    }
  }

  /** Fills every writable byte (device-readable buffers carry nothing for us); returns the count. */
  private fill(chain: DescriptorChain): number {
    const length = chain.writableLength;
    const chunk = new Uint8Array(Math.min(length, RANDOM_CHUNK_BYTES));
    for (let done = 0; done < length; done += chunk.length) {
      const piece = chunk.subarray(0, Math.min(chunk.length, length - done));
      this.random(piece);
      chain.write(done, piece);
    }
    return length;
  }
}
