"""``nnviz fool``: the smallest pixel changes (one grey level a step) that make the network read an
example, or random static, as a chosen digit."""

from __future__ import annotations

from ..core.errors import NnvizError
from . import arguments, pictures


def add_parser(commands) -> None:
    from ..core.fooling import MAX_STEPS

    fool = commands.add_parser("fool", help="change an example (or static) until the network reads it as another digit",
                               description="Iterative steps along the sign of the input gradient, one grey level "
                                           "a step, until the network gives the chosen answer.")
    pictures.add_common_options(fool)
    source = fool.add_mutually_exclusive_group(required=True)
    source.add_argument("--example", metavar="SPLIT:NUMBER",
                        help="the example to change, counting from 1 as the window does, such as test:2")
    source.add_argument("--noise", action="store_true", help="start from random static (from --seed) instead")
    fool.add_argument("--as", dest="target", required=True, metavar="DIGIT", help="the answer the network should give")
    fool.add_argument("--steps", type=arguments.positive_int, default=MAX_STEPS,
                      help=f"give up after this many steps (default: {MAX_STEPS})")
    fool.add_argument("--seed", type=int, default=0, help="the seed of the static (default: 0)")
    fool.set_defaults(run=run)


def run(args) -> int:
    from ..animation.options import Example
    from ..core.fooling import CONFIDENT, fool, fooling_static
    from ..core.naming import parse_class

    pictures.check_targets(args.out, args.json)
    network, shape, class_names, dataset = pictures.load(args, needs_data=not args.noise)
    names = list(class_names) if class_names is not None else [str(j) for j in range(network.sizes[-1])]
    target = parse_class(args.target, network.sizes[-1], class_names)
    if args.noise:
        result = fooling_static(network, target, args.seed, max_steps=args.steps, shape=shape)
        source, record = f"static (seed {args.seed})", {"noise": True, "seed": args.seed}
    else:
        example = Example.parse(args.example, dataset)
        split = dataset.split(example.split)
        label = names[int(split.labels[example.index])]
        result = fool(network, split.inputs(example.index, float), target, max_steps=args.steps, shape=shape)
        source, record = f"{example.describe()} (a {label})", {"example": args.example, "label": label}
    read = names[int(result.outputs_after.argmax())]
    if not result.fooled:
        wanted = f" with an output above {CONFIDENT:g}" if args.noise else ""
        raise NnvizError(f"after {result.steps} steps the network reads {source} as {read}, not {names[target]}{wanted} "
                         f"(its output for {names[target]}: {result.outputs_after[target]:.2f}); nothing written; "
                         "try more --steps")
    files = {args.out: pictures.png(result.image, shape)}
    if args.json:
        files[args.json] = pictures.json_bytes({
            **record,
            "target": names[target],
            "steps": result.steps,
            "largest_change": result.largest_change,
            "largest_change_grey_levels": round(result.largest_change * 255),
            "pixels_changed": result.pixels_changed,
            "outputs_before": pictures.numbers(result.outputs_before),
            "outputs": pictures.numbers(result.outputs_after),
            "image": str(args.out),
        })
    pictures.write_files(files)
    print(f"Saved {args.out}: {source} read as {read} (output {result.outputs_after[target]:.2f}) after {result.steps} "
          f"steps; largest pixel change {round(result.largest_change * 255)}/255, {result.pixels_changed} pixels moved")
    return 0
