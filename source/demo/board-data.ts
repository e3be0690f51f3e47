/**
 * The simulated shop's appointments: a seeded generator and the shared
 * in-memory store the move endpoint writes with optimistic concurrency.
 * One store per service, so concurrent movers really do race on it.
 */
import type {Random} from './seeded-random.js';

export const appointmentStatuses = ['scheduled', 'checked_in', 'in_progress', 'waiting_parts', 'ready', 'completed'] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];

export function isAppointmentStatus(value: unknown): value is AppointmentStatus {
	return typeof value === 'string' && (appointmentStatuses as readonly string[]).includes(value);
}

const columnTitles = {
	scheduled: 'Scheduled',
	checked_in: 'Checked in',
	in_progress: 'In progress',
	waiting_parts: 'Waiting for parts',
	ready: 'Ready for pickup',
	completed: 'Completed',
} as const satisfies Record<AppointmentStatus, string>;

/** Ids are `apt-1001` … `apt-(1000+count)`; the demo plan rotates probes through them. */
const firstAppointmentNumber = 1001;
/** @default count of generated appointments */
const defaultAppointmentCount = 150;

/**
 * Cards start at version 0: an occ-move probe that has not seen a card yet sends 0,
 * so its first move succeeds instead of counting a conflict per id at start-up.
 */
const initialAppointmentVersion = 0;

function appointmentId(index: number): string {
	return `apt-${firstAppointmentNumber + index}`;
}

type ServiceLine = {code: string; name: string; priceCents: number; estimatedMinutes: number};
type Note = {at: number; author: string; text: string};

type Appointment = {
	id: string;
	status: AppointmentStatus;
	version: number;
	customer: {id: string; name: string; phone: string; email: string};
	vehicle: {year: number; make: string; model: string; color: string; vin: string; licensePlate: string; mileage: number};
	services: ServiceLine[];
	notes: Note[];
	technician: string | null;
	bay: number | null;
	priority: 'normal' | 'high' | 'urgent';
	scheduledAt: number;
	promisedAt: number;
	createdAt: number;
	updatedAt: number;
};

type MoveResult = {kind: 'moved'; appointment: Appointment} | {kind: 'conflict'; currentVersion: number} | {kind: 'not_found'};

export type AppointmentStore = {
	ids(): string[];
	get(id: string): Appointment | undefined;
	board(now: number): unknown;
	/** `board(now)` serialized; the columns are cached between writes because the board is the hot, heavy route. */
	boardJson(now: number): string;
	drawer(id: string): unknown;
	stats(now: number): unknown;
	/** Compare-and-set on `version`: the write happens only if the client saw the latest version. */
	move(id: string, status: AppointmentStatus, expectedVersion: number, now: number): MoveResult;
	/** Someone else (another dispatcher, or V2's sync bug) rewrote the record. */
	touch(id: string, now: number): void;
};

const firstNames = [
	'Ava',
	'Liam',
	'Maya',
	'Noah',
	'Zoe',
	'Ethan',
	'Isla',
	'Lucas',
	'Nora',
	'Mateo',
	'Chloe',
	'Owen',
	'Priya',
	'Diego',
	'Hana',
	'Samir',
	'Grace',
	'Tomás',
	'Leah',
	'Kenji',
];
const lastNames = [
	'Garcia',
	'Smith',
	'Nguyen',
	'Okafor',
	'Kowalski',
	'Patel',
	'Johnson',
	'Müller',
	'Rossi',
	'Kim',
	'Haddad',
	'Silva',
	'Brown',
	'Larsen',
	'Cohen',
	'Dubois',
];
const vehicles = [
	['Toyota', 'Camry'],
	['Honda', 'Civic'],
	['Ford', 'F-150'],
	['Tesla', 'Model 3'],
	['Subaru', 'Outback'],
	['Chevrolet', 'Silverado'],
	['BMW', 'X3'],
	['Hyundai', 'Tucson'],
	['Volkswagen', 'Golf'],
	['Kia', 'Sorento'],
	['Mazda', 'CX-5'],
	['Nissan', 'Leaf'],
	['Jeep', 'Wrangler'],
	['Audi', 'A4'],
	['Volvo', 'XC60'],
] as const;
const colors = ['white', 'black', 'silver', 'grey', 'blue', 'red', 'green'];
const serviceCatalog: readonly ServiceLine[] = [
	{code: 'OIL', name: 'Oil & filter change', priceCents: 7_999, estimatedMinutes: 30},
	{code: 'ROT', name: 'Tire rotation', priceCents: 3_999, estimatedMinutes: 25},
	{code: 'BRK', name: 'Brake pads (front)', priceCents: 24_999, estimatedMinutes: 90},
	{code: 'ALN', name: 'Wheel alignment', priceCents: 11_999, estimatedMinutes: 60},
	{code: 'BAT', name: 'Battery replacement', priceCents: 18_999, estimatedMinutes: 20},
	{code: 'DIA', name: 'Check-engine diagnostic', priceCents: 12_999, estimatedMinutes: 45},
	{code: 'AC', name: 'A/C recharge', priceCents: 14_999, estimatedMinutes: 50},
	{code: 'INS', name: 'State inspection', priceCents: 3_500, estimatedMinutes: 30},
	{code: 'TRN', name: 'Transmission fluid service', priceCents: 21_999, estimatedMinutes: 75},
	{code: 'CAB', name: 'Cabin air filter', priceCents: 4_999, estimatedMinutes: 15},
];
const technicians = ['R. Alvarez', 'J. Chen', 'M. Osei', 'K. Novak', 'S. Iyer', 'D. Walsh'];
const noteTexts = [
	'Customer reports squeal when braking at low speed.',
	'Waiting on approval for additional work; called customer.',
	'Loaner requested.',
	'Check tire pressure sensor, light intermittently on.',
	'Customer will wait in lobby.',
	'Parts ordered from distributor, ETA tomorrow 10:00.',
	'Previous visit: replaced rear wipers.',
	'Fleet account: invoice monthly.',
];
const vinAlphabet = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
// Weighted so the board looks like a working morning: most cards early in the flow.
const statusWeights = [
	['scheduled', 0.3],
	['checked_in', 0.15],
	['in_progress', 0.2],
	['waiting_parts', 0.08],
	['ready', 0.12],
	['completed', 0.15],
] as const satisfies ReadonlyArray<readonly [AppointmentStatus, number]>;

function pickStatus(random: Random): AppointmentStatus {
	let roll = random.next();
	for (const [status, weight] of statusWeights) {
		roll -= weight;
		if (roll < 0) return status;
	}
	return 'scheduled';
}

function generateAppointment(index: number, random: Random, now: number): Appointment {
	const first = random.pick(firstNames);
	const last = random.pick(lastNames);
	const [make, model] = random.pick(vehicles);
	const serviceCount = random.int(1, 3);
	const services: ServiceLine[] = [];
	while (services.length < serviceCount) {
		const line = random.pick(serviceCatalog);
		if (!services.some((s) => s.code === line.code)) services.push({...line});
	}
	const status = pickStatus(random);
	const hourStart = now - (now % 3_600_000);
	const scheduledAt = hourStart + random.int(-4, 6) * 3_600_000 + random.pick([0, 15, 30, 45]) * 60_000;
	const minutes = services.reduce((sum, s) => sum + s.estimatedMinutes, 0);
	const noteCount = random.int(0, 3);
	const notes: Note[] = Array.from({length: noteCount}, (_, n) => ({
		at: scheduledAt - (noteCount - n) * 600_000,
		author: random.pick(['Front desk', ...technicians]),
		text: random.pick(noteTexts),
	}));
	const inShop = status !== 'scheduled';
	return {
		id: appointmentId(index),
		status,
		version: initialAppointmentVersion,
		customer: {
			id: `cus-${5000 + index}`,
			name: `${first} ${last}`,
			phone: `+1-555-${String(random.int(100, 999))}-${String(random.int(1000, 9999))}`,
			email:
				`${first}.${last}`
					.toLowerCase()
					.normalize('NFD')
					.replace(/[^a-z.]/g, '') + '@example.com',
		},
		vehicle: {
			year: random.int(2008, 2025),
			make,
			model,
			color: random.pick(colors),
			vin: Array.from({length: 17}, () => random.pick([...vinAlphabet])).join(''),
			licensePlate: `${String.fromCharCode(65 + random.int(0, 25), 65 + random.int(0, 25), 65 + random.int(0, 25))}-${random.int(1000, 9999)}`,
			mileage: random.int(3_000, 180_000),
		},
		services,
		notes,
		technician: inShop ? random.pick(technicians) : null,
		bay: inShop && status !== 'completed' ? random.int(1, 8) : null,
		priority: random.chance(0.1) ? 'urgent' : random.chance(0.2) ? 'high' : 'normal',
		scheduledAt,
		promisedAt: scheduledAt + (minutes + 60) * 60_000,
		createdAt: scheduledAt - random.int(1, 14) * 86_400_000,
		updatedAt: now,
	};
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

function card(a: Appointment) {
	return {
		id: a.id,
		status: a.status,
		version: a.version,
		customerName: a.customer.name,
		vehicle: `${a.vehicle.year} ${a.vehicle.make} ${a.vehicle.model}`,
		licensePlate: a.vehicle.licensePlate,
		services: a.services.map((s) => s.name),
		technician: a.technician,
		bay: a.bay,
		priority: a.priority,
		scheduledAt: iso(a.scheduledAt),
		promisedAt: iso(a.promisedAt),
		estimatedMinutes: a.services.reduce((sum, s) => sum + s.estimatedMinutes, 0),
		totalCents: a.services.reduce((sum, s) => sum + s.priceCents, 0),
		noteCount: a.notes.length,
	};
}

/** @param count how many appointments to generate. @default defaultAppointmentCount */
export function createAppointmentStore(random: Random, now: number, count = defaultAppointmentCount): AppointmentStore {
	const byId = new Map<string, Appointment>();
	for (let index = 0; index < count; index++) {
		const appointment = generateAppointment(index, random, now);
		byId.set(appointment.id, appointment);
	}
	let moves = 0;
	let conflicts = 0;
	let columnsCache: string | undefined;
	const columns = () =>
		appointmentStatuses.map((status) => {
			const cards = [...byId.values()]
				.filter((a) => a.status === status)
				.sort((x, y) => x.scheduledAt - y.scheduledAt)
				.map(card);
			return {status, title: columnTitles[status], count: cards.length, cards};
		});

	return {
		ids: () => [...byId.keys()],
		get: (id) => byId.get(id),
		board: (at) => ({generatedAt: iso(at), totalCards: byId.size, columns: columns()}),
		boardJson(at) {
			columnsCache ??= JSON.stringify(columns());
			return `{"generatedAt":${JSON.stringify(iso(at))},"totalCards":${byId.size},"columns":${columnsCache}}`;
		},
		drawer(id) {
			const a = byId.get(id);
			if (!a) return undefined;
			return {
				...a,
				scheduledAt: iso(a.scheduledAt),
				promisedAt: iso(a.promisedAt),
				createdAt: iso(a.createdAt),
				updatedAt: iso(a.updatedAt),
				notes: a.notes.map((n) => ({...n, at: iso(n.at)})),
				totals: {
					estimatedMinutes: a.services.reduce((sum, s) => sum + s.estimatedMinutes, 0),
					priceCents: a.services.reduce((sum, s) => sum + s.priceCents, 0),
				},
				allowedTransitions: appointmentStatuses.filter((s) => s !== a.status),
			};
		},
		stats(at) {
			const all = [...byId.values()];
			const byStatus = Object.fromEntries(appointmentStatuses.map((s) => [s, all.filter((a) => a.status === s).length]));
			const completed = all.filter((a) => a.status === 'completed');
			const onTime = completed.filter((a) => a.updatedAt <= a.promisedAt).length;
			return {
				generatedAt: iso(at),
				totalAppointments: all.length,
				byStatus,
				completedToday: completed.length,
				revenueTodayCents: completed.reduce((sum, a) => sum + a.services.reduce((s, l) => s + l.priceCents, 0), 0),
				onTimeRate: completed.length === 0 ? null : onTime / completed.length,
				averageTicketCents:
					all.length === 0 ? null : Math.round(all.reduce((sum, a) => sum + a.services.reduce((s, l) => s + l.priceCents, 0), 0) / all.length),
				bayUtilization: new Set(all.flatMap((a) => (a.bay === null ? [] : [a.bay]))).size / 8,
				occ: {moves, conflicts},
			};
		},
		move(id, status, expectedVersion, at) {
			const a = byId.get(id);
			if (!a) return {kind: 'not_found'};
			if (a.version !== expectedVersion) {
				conflicts++;
				return {kind: 'conflict', currentVersion: a.version};
			}
			moves++;
			columnsCache = undefined;
			a.status = status;
			a.version++;
			a.updatedAt = at;
			return {kind: 'moved', appointment: a};
		},
		touch(id, at) {
			const a = byId.get(id);
			if (!a) return;
			columnsCache = undefined;
			a.version++;
			a.updatedAt = at;
		},
	};
}
