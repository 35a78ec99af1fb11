// What a process holds in a later heap snapshot that it did not hold in an earlier one, for finding
// what grows (see `npm run bench:soak` with BENCH_SOAK_SNAPSHOT_DIR). Both snapshots must come from
// the same process: V8 keeps an object's id from one snapshot to the next.
//   npm run --silent bench:heap-diff -- early.heapsnapshot late.heapsnapshot [groups]
// Prints, largest first, the objects of the later snapshot whose ids the earlier one lacks, grouped
// by kind and name, with their count, their own bytes and one chain of what holds an example.
import { readFileSync } from 'node:fs';

interface SnapshotFile {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Edge kinds whose name_or_index is an index into the strings, not a number. */
const namedEdges = new Set(['context', 'property', 'internal', 'shortcut', 'weak']);
/** Kinds whose name is the value itself: grouped together, not one group per value. */
const valueKinds = new Set(['string', 'concatenated string', 'sliced string', 'number']);

export class HeapGraph {
  readonly nodeCount: number;
  private readonly nodeFieldCount: number;
  private readonly edgeFieldCount: number;
  private readonly offsets: { type: number; name: number; id: number; selfSize: number; edgeCount: number };
  private readonly edgeOffsets: { type: number; name: number; to: number };
  private readonly firstEdge: Uint32Array;
  private retainerOf?: { node: Int32Array; edge: Int32Array };

  constructor(private readonly file: SnapshotFile) {
    const { meta } = file.snapshot;
    this.nodeFieldCount = meta.node_fields.length;
    this.edgeFieldCount = meta.edge_fields.length;
    const field = (name: string) => meta.node_fields.indexOf(name);
    this.offsets = {
      type: field('type'),
      name: field('name'),
      id: field('id'),
      selfSize: field('self_size'),
      edgeCount: field('edge_count'),
    };
    this.edgeOffsets = {
      type: meta.edge_fields.indexOf('type'),
      name: meta.edge_fields.indexOf('name_or_index'),
      to: meta.edge_fields.indexOf('to_node'),
    };
    this.nodeCount = file.nodes.length / this.nodeFieldCount;
    this.firstEdge = new Uint32Array(this.nodeCount + 1);
    for (let node = 0; node < this.nodeCount; node++)
      this.firstEdge[node + 1] = this.firstEdge[node]! + this.field(node, this.offsets.edgeCount);
  }

  static read(path: string): HeapGraph {
    return new HeapGraph(JSON.parse(readFileSync(path, 'utf8')) as SnapshotFile);
  }

  private field(node: number, offset: number): number {
    return this.file.nodes[node * this.nodeFieldCount + offset]!;
  }

  kind(node: number): string {
    return this.file.snapshot.meta.node_types[0][this.field(node, this.offsets.type)]!;
  }

  name(node: number): string {
    return this.file.strings[this.field(node, this.offsets.name)]!;
  }

  id(node: number): number {
    return this.field(node, this.offsets.id);
  }

  selfSize(node: number): number {
    return this.field(node, this.offsets.selfSize);
  }

  private edgeKind(edge: number): string {
    return this.file.snapshot.meta.edge_types[0][this.file.edges[edge * this.edgeFieldCount + this.edgeOffsets.type]!]!;
  }

  private edgeName(edge: number): string {
    const value = this.file.edges[edge * this.edgeFieldCount + this.edgeOffsets.name]!;
    return namedEdges.has(this.edgeKind(edge)) ? this.file.strings[value]! : String(value);
  }

  /** One strong holder of `node` and the edge it holds it by, if any. */
  retainer(node: number): { node: number; edge: number } | undefined {
    if (!this.retainerOf) {
      const holder = new Int32Array(this.nodeCount).fill(-1);
      const byEdge = new Int32Array(this.nodeCount).fill(-1);
      for (let from = 0; from < this.nodeCount; from++)
        for (let edge = this.firstEdge[from]!; edge < this.firstEdge[from + 1]!; edge++) {
          const to = this.file.edges[edge * this.edgeFieldCount + this.edgeOffsets.to]! / this.nodeFieldCount;
          // A real holder beats a synthetic root: (Stack roots) list much that objects also hold.
          const replaces =
            holder[to] === -1 || (this.kind(holder[to]!) === 'synthetic' && this.kind(from) !== 'synthetic');
          if (replaces && this.edgeKind(edge) !== 'weak') {
            holder[to] = from;
            byEdge[to] = edge;
          }
        }
      this.retainerOf = { node: holder, edge: byEdge };
    }
    const holder = this.retainerOf.node[node]!;
    return holder === -1 ? undefined : { node: holder, edge: this.retainerOf.edge[node]! };
  }

  /** What holds `node`, up to `hops` holders: "<-[edge kind name] holder kind: name" each. */
  holders(node: number, hops = 8): string[] {
    const chain: string[] = [];
    const seen = new Set([node]);
    for (let current = node; chain.length < hops;) {
      const holder = this.retainer(current);
      if (!holder || seen.has(holder.node)) break;
      seen.add(holder.node);
      chain.push(
        `<-[${this.edgeKind(holder.edge)} ${this.edgeName(holder.edge)}] ${this.kind(holder.node)}: ${this.name(holder.node).slice(0, 60)}`,
      );
      current = holder.node;
    }
    return chain;
  }
}

export interface NewObjectGroup {
  kind: string;
  name: string;
  count: number;
  bytes: number;
  members: number[];
}

/** The objects of `later` whose ids `earlier` lacks, grouped by kind and name, largest first. */
export function newObjectGroups(earlier: HeapGraph, later: HeapGraph): NewObjectGroup[] {
  const earlierIds = new Set<number>();
  for (let node = 0; node < earlier.nodeCount; node++) earlierIds.add(earlier.id(node));
  const groups = new Map<string, NewObjectGroup>();
  for (let node = 0; node < later.nodeCount; node++) {
    if (earlierIds.has(later.id(node))) continue;
    const kind = later.kind(node);
    const name = valueKinds.has(kind) ? `(${kind} values)` : later.name(node).slice(0, 80);
    const key = `${kind}\u0000${name}`;
    const group = groups.get(key) ?? { kind, name, count: 0, bytes: 0, members: [] };
    group.count += 1;
    group.bytes += later.selfSize(node);
    group.members.push(node);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

function main(): void {
  const [earlierPath, laterPath, top = '15'] = process.argv.slice(2);
  if (!earlierPath || !laterPath)
    throw new Error('usage: heap-snapshot-diff <earlier.heapsnapshot> <later.heapsnapshot> [groups]');
  const earlier = HeapGraph.read(earlierPath);
  const later = HeapGraph.read(laterPath);
  const groups = newObjectGroups(earlier, later);
  const total = groups.reduce((sum, group) => sum + group.bytes, 0);
  const count = groups.reduce((sum, group) => sum + group.count, 0);
  console.log(`${count} objects in the later snapshot are new, ${(total / 1024 / 1024).toFixed(1)} MiB of their own`);
  console.log('| own bytes | count | kind | name | what holds an example |');
  console.log('|---|---|---|---|---|');
  for (const group of groups.slice(0, Number(top))) {
    const held = commonHolder(later, group.members);
    const example = valueKinds.has(group.kind) ? ` (e.g. "${later.name(held.example).slice(0, 40)}")` : '';
    console.log(
      `| ${group.bytes} | ${group.count} | ${group.kind} | ${cell(group.name + example)} | ` +
        `${held.share}% of them: ${cell(later.holders(held.example).join(' '))} |`,
    );
  }
}

/** The holder chain (three hops, past string pieces) most members share, its share and one member held so. */
function commonHolder(graph: HeapGraph, members: number[]): { share: number; example: number } {
  const tally = new Map<string, { count: number; example: number }>();
  for (const member of members) {
    // Pieces of one string and element indexes differ from member to member: left out.
    const signature = graph
      .holders(member)
      .filter((hop) => !hop.includes('] concatenated string:'))
      .slice(0, 3)
      .join(' ')
      .replace(/\[(\w+) \d+\]/g, '[$1 n]');
    const entry = tally.get(signature) ?? { count: 0, example: member };
    entry.count += 1;
    tally.set(signature, entry);
  }
  const [top] = [...tally.values()].sort((a, b) => b.count - a.count);
  return { share: Math.round((100 * top!.count) / members.length), example: top!.example };
}

if (require.main === module) main();
