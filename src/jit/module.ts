// Many translation units go into one Wasm module (compile and instantiate cost is per
// module), one function each, all sharing the guest's memory and the TC's table.
import { compileRegion, compileTu, type HotCounter, type RegionProbe } from './codegen/compile.js';
import type { ModuleContext } from './codegen/module-context.js';
import { CCF_PARAMS } from './codegen/emitter.js';
import { mulhuBody, signedMulhBody } from './codegen/wide-multiply.js';
import type { Insn } from '../isa/insn.js';
import type { Tu } from './tu.js';
import { ModuleBuilder } from './wasm/module-builder.js';
import { I32, I64 } from './wasm/types.js';

export interface ModuleLayout {
  memoryPages: number;
  /** The VM's base, baked into the code, or null to read it from each fragment's parameter (ModuleContext.vmBase). */
  vmBase: number | null;
  tableSize: number;
  tlbLoadBase: number;
  tlbStoreBase: number;
  tlbMask: number;
  jumpCacheBase: number;
  countChains: boolean;
  /** Privilege level of the code context the module is compiled for. */
  priv: number;
  realtime: boolean;
  countIntc: boolean;
}

export interface BuiltModule {
  bytes: Uint8Array;
  /** Export name of each item's function, in input order. */
  names: string[];
}

/** A tier-1 unit (counting its entries when `hot` is given) or a tier-2 region. */
export type ModuleItem = { kind: 'unit'; tu: Tu; hot?: HotCounter } | { kind: 'region'; tus: readonly Tu[]; probe?: RegionProbe };

export interface ModuleLinks {
  /** The table slot for a direct jump to a guest address, or null: through the jump cache (ModuleContext.slotFor). */
  slotFor(target: bigint, from: { readonly pc: bigint; readonly paddr: number }): number | null;
  /** Registers a callout site and returns its id. */
  siteFor(insn: Insn, pc: bigint, nextPc: bigint): number;
}

export function buildModule(items: readonly ModuleItem[], layout: ModuleLayout, links: ModuleLinks): BuiltModule {
  const mb = new ModuleBuilder();
  const ccfType = mb.addType(CCF_PARAMS, [I32]);
  const loadType = mb.addType([I64, I32], [I64]);
  const storeType = mb.addType([I64, I64, I32], []);
  const wideType = mb.addType([I64, I64], [I64]);
  const atomicType = mb.addType([I32, I64, I64, I64], [I64]);
  const calloutType = mb.addType([I32], [I32]);
  mb.importMemory('env', 'memory', layout.memoryPages, layout.memoryPages);
  mb.importTable('env', 'table', layout.tableSize);
  const loadFn = mb.importFunction('env', 'load', loadType);
  const storeFn = mb.importFunction('env', 'store', storeType);
  const atomicFn = mb.importFunction('env', 'atomic', atomicType);
  const calloutFn = mb.importFunction('env', 'callout', calloutType);
  const mulhuFn = mb.addFunction(wideType, mulhuBody());
  const mulhFn = mb.addFunction(wideType, signedMulhBody(mulhuFn, true));
  const mulhsuFn = mb.addFunction(wideType, signedMulhBody(mulhuFn, false));
  const ctx: ModuleContext = {
    ccfType, vmBase: layout.vmBase, loadFn, storeFn, atomicFn, mulhuFn, mulhFn, mulhsuFn,
    tlbLoadBase: layout.tlbLoadBase, tlbStoreBase: layout.tlbStoreBase, tlbMask: layout.tlbMask,
    jumpCacheBase: layout.jumpCacheBase, countChains: layout.countChains,
    calloutFn, priv: layout.priv, realtime: layout.realtime, countIntc: layout.countIntc,
    slotFor: links.slotFor, siteFor: links.siteFor,
  };
  const names: string[] = [];
  items.forEach((item, i) => {
    const body = item.kind === 'unit' ? compileTu(ctx, item.tu, item.hot) : compileRegion(ctx, item.tus, item.probe);
    const fn = mb.addFunction(ccfType, body);
    const pc = item.kind === 'unit' ? item.tu.pc : item.tus[0].pc;
    const name = `${item.kind === 'unit' ? 'tu' : 'region'}${i}_${pc.toString(16)}`;
    mb.exportFunction(name, fn);
    names.push(name);
  });
  return { bytes: mb.toBytes(), names };
}
